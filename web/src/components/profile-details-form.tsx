import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, callTool } from '../api/client.ts';
import type { UserView } from '../api/types.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useNotify } from '../notices.ts';
import { useSession } from '../session-context.ts';
import { Loading } from './states.tsx';

type Field = 'name' | 'jobTitle' | 'phone';
const LABELS: Record<Field, string> = { name: 'Name', jobTitle: 'Job title', phone: 'Phone' };

/** Your name, job title and phone (`users_update_profile`). */
export function ProfileDetailsForm() {
  const { me, refresh } = useSession();
  const notify = useNotify();
  const user = useAsync(
    (signal) => callTool<{ user: UserView }>('users_get', { user: me.user.id }, signal),
    [me.user.id],
  );
  const [values, setValues] = useState<Record<Field, string>>({ name: '', jobTitle: '', phone: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const u = user.data?.user;
    if (u) setValues({ name: u.name, jobTitle: u.jobTitle ?? '', phone: u.phone ?? '' });
  }, [user.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!values.name.trim()) return setErrors({ name: 'Enter your name.' });
    setBusy(true);
    setErrors({});
    try {
      await callTool('users_update_profile', {
        name: values.name.trim(),
        jobTitle: values.jobTitle.trim(),
        phone: values.phone.trim(),
      });
      await refresh();
      notify('Profile saved.', 'success');
    } catch (error) {
      const fields = error instanceof ApiError ? error.fields : [];
      setErrors(
        fields.length
          ? Object.fromEntries(fields.map((f) => [f.field, f.message]))
          : { form: (error as Error).message },
      );
    } finally {
      setBusy(false);
    }
  };

  if (!user.data) return <Loading />;
  return (
    <form className="stack" onSubmit={submit} noValidate>
      {(Object.keys(LABELS) as Field[]).map((key) => (
        <div className="field" key={key}>
          <label htmlFor={`profile-${key}`} className="field-label">
            {LABELS[key]}
          </label>
          <input
            id={`profile-${key}`}
            value={values[key]}
            type={key === 'phone' ? 'tel' : 'text'}
            autoComplete={key === 'name' ? 'name' : key === 'phone' ? 'tel' : 'organization-title'}
            onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
            aria-invalid={errors[key] ? true : undefined}
            aria-describedby={errors[key] ? `profile-${key}-error` : undefined}
          />
          {errors[key] && (
            <p id={`profile-${key}-error`} className="field-error">
              {errors[key]}
            </p>
          )}
        </div>
      ))}
      <p className="form-error" role="alert">
        {errors.form ?? ''}
      </p>
      <div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}
