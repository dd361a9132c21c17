import { type FormEvent, useState } from 'react';
import { ApiError, request } from '../api/client.ts';
import { useNotify } from '../notices.ts';

const MIN_LENGTH = 12;

/** Change your own password: the current one, the new one twice. */
export function ChangePasswordForm({ onChanged }: { onChanged?: () => void }) {
  const notify = useNotify();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!current) found.currentPassword = 'Enter your current password.';
    if (next.length < MIN_LENGTH) found.newPassword = `Use at least ${MIN_LENGTH} characters.`;
    else if (next === current) found.newPassword = 'Choose a password different from the current one.';
    if (again !== next) found.again = 'The two new passwords differ.';
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await request('POST', '/api/auth/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setAgain('');
      notify('Password changed. Your other sessions were signed out.', 'success');
      onChanged?.();
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

  const field = (
    name: string,
    label: string,
    value: string,
    set: (v: string) => void,
    autoComplete: string,
  ) => (
    <div className="field">
      <label htmlFor={`pw-${name}`} className="field-label">
        {label}
      </label>
      <input
        id={`pw-${name}`}
        type="password"
        autoComplete={autoComplete}
        value={value}
        onChange={(e) => set(e.target.value)}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `pw-${name}-error` : undefined}
      />
      {errors[name] && (
        <p id={`pw-${name}-error`} className="field-error">
          {errors[name]}
        </p>
      )}
    </div>
  );

  return (
    <form className="stack" onSubmit={submit} noValidate>
      {field('currentPassword', 'Current password', current, setCurrent, 'current-password')}
      {field(
        'newPassword',
        `New password (at least ${MIN_LENGTH} characters)`,
        next,
        setNext,
        'new-password',
      )}
      {field('again', 'New password, again', again, setAgain, 'new-password')}
      <p className="form-error" role="alert">
        {errors.form ?? ''}
      </p>
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
