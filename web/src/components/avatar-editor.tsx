import { useEffect, useId, useState } from 'react';
import { request } from '../api/client.ts';
import { useNotify } from '../notices.ts';
import { useSession } from '../session-context.ts';
import { Avatar } from './avatar.tsx';

const ACCEPT = 'image/png,image/jpeg,image/webp';

/** Your picture: pick an image, see it before uploading, upload or remove. */
export function AvatarEditor() {
  const { me, refresh } = useSession();
  const notify = useNotify();
  const inputId = useId();
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const viewingAs = Boolean(me.impersonator);

  useEffect(() => {
    if (!file) return setPreview(undefined);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      await refresh();
      setFile(undefined);
      notify(done, 'success');
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const upload = () => {
    if (!file) return;
    const form = new FormData();
    form.append('avatar', file);
    void act(() => request('POST', '/api/me/avatar', form), 'Your picture is updated.');
  };

  return (
    <div className="avatar-editor">
      <div className="avatar-preview">
        {preview ? (
          <img
            className="avatar"
            src={preview}
            alt="Your new avatar, not uploaded yet"
            width={96}
            height={96}
          />
        ) : (
          <Avatar name={me.user.name} url={me.user.avatarUrl} size={96} />
        )}
      </div>
      <div className="stack">
        <div className="field">
          <label htmlFor={inputId} className="field-label">
            Choose an image (PNG, JPEG or WebP)
          </label>
          <input
            id={inputId}
            type="file"
            accept={ACCEPT}
            disabled={viewingAs}
            onChange={(e) => {
              setError(undefined);
              setFile(e.target.files?.[0]);
            }}
            aria-describedby={error ? `${inputId}-error` : undefined}
          />
          <p id={`${inputId}-error`} className="field-error" role="alert">
            {error ?? ''}
          </p>
        </div>
        <div className="actions">
          <button type="button" className="button button-primary" disabled={!file || busy} onClick={upload}>
            {busy && file ? 'Uploading…' : 'Upload'}
          </button>
          {file && (
            <button type="button" className="button" onClick={() => setFile(undefined)} disabled={busy}>
              Cancel
            </button>
          )}
          {!file && me.user.avatarUrl && (
            <button
              type="button"
              className="button"
              disabled={busy || viewingAs}
              onClick={() => void act(() => request('DELETE', '/api/me/avatar'), 'Your picture is removed.')}
            >
              Remove picture
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
