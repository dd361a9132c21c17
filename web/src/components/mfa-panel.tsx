import { type FormEvent, useState } from 'react';
import { callTool, request } from '../api/client.ts';
import { formatDateTime } from '../format.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useNotify } from '../notices.ts';
import { useSession } from '../session-context.ts';
import { RecoveryCodes } from './recovery-codes.tsx';
import { ErrorNotice, Loading } from './states.tsx';

interface MfaStatus {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
  enrolmentPending: boolean;
}
interface Enrolment {
  otpauthUri: string;
  qrDataUrl: string;
  secret: string;
}

/** Two-factor authentication: enrol with a QR code and a first code, keep the recovery codes, or turn it off. */
export function MfaPanel() {
  const { me, locale } = useSession();
  const notify = useNotify();
  const status = useAsync((signal) => callTool<MfaStatus>('users_mfa_status', {}, signal), []);
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [codes, setCodes] = useState<string[]>();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [disabling, setDisabling] = useState(false);

  const step = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const start = () =>
    step(async () => setEnrolment(await request<Enrolment>('POST', '/api/auth/mfa/enroll', {})));
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void step(async () => {
      const answer = await request<{ recoveryCodes: string[] }>('POST', '/api/auth/mfa/confirm', {
        code: code.trim(),
      });
      setCodes(answer.recoveryCodes);
      setEnrolment(undefined);
      setCode('');
    });
  };
  const disable = (event: FormEvent) => {
    event.preventDefault();
    void step(async () => {
      await request('POST', '/api/auth/mfa/disable', { code: code.trim() });
      setDisabling(false);
      setCode('');
      notify('Two-factor authentication is off.', 'success');
      status.reload();
    });
  };

  if (me.impersonator)
    return <p className="muted">Two-factor settings cannot be changed while viewing as someone.</p>;
  if (codes)
    return (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(undefined);
          status.reload();
        }}
      />
    );
  if (status.error) return <ErrorNotice error={status.error} onRetry={status.reload} />;
  if (!status.data) return <Loading />;
  const s = status.data;

  const codeField = (label: string) => (
    <div className="field">
      <label htmlFor="mfa-code" className="field-label">
        {label}
      </label>
      <input
        id="mfa-code"
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'mfa-error' : undefined}
      />
      <p id="mfa-error" className="field-error" role="alert">
        {error ?? ''}
      </p>
    </div>
  );

  if (enrolment)
    return (
      <form className="mfa-enrol" onSubmit={confirm}>
        <img
          className="qr"
          src={enrolment.qrDataUrl}
          alt="QR code to scan with your authenticator app"
          width={180}
          height={180}
        />
        <div className="stack">
          <p>
            Scan the code with an authenticator app (Google Authenticator, 1Password, Authy…), or type this
            key:
          </p>
          <code className="secret" data-secret={enrolment.secret}>
            {enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}
          </code>
          {codeField('Then enter the 6-digit code it shows')}
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={busy || code.trim().length < 6}>
              {busy ? 'Checking…' : 'Turn on'}
            </button>
            <button type="button" className="button" onClick={() => setEnrolment(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      </form>
    );

  if (!s.enabled)
    return (
      <div className="stack">
        <p>
          <span className="badge badge-off">Off</span> Protect your account with a code from your phone at
          each sign-in.
        </p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div>
          <button type="button" className="button button-primary" onClick={start} disabled={busy}>
            {busy ? 'Starting…' : 'Set up two-factor authentication'}
          </button>
        </div>
      </div>
    );

  return (
    <div className="stack">
      <p>
        <span className="badge badge-active">On</span>
        {s.enabledAt ? ` since ${formatDateTime(s.enabledAt, locale)}` : ''} · {s.recoveryCodesLeft} recovery
        code
        {s.recoveryCodesLeft === 1 ? '' : 's'} left
      </p>
      {disabling ? (
        <form className="stack" onSubmit={disable}>
          {codeField('A current code or a recovery code')}
          <div className="actions">
            <button type="submit" className="button button-danger" disabled={busy || code.trim().length < 6}>
              Turn off
            </button>
            <button type="button" className="button" onClick={() => setDisabling(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div>
          <button type="button" className="button" onClick={() => setDisabling(true)}>
            Turn off two-factor authentication
          </button>
        </div>
      )}
    </div>
  );
}
