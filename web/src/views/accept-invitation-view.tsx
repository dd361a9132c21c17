import { type FormEvent, useState } from 'react';
import { acceptInvitation } from '../api/session.ts';
import { rememberedBranding } from '../branding.ts';
import { BrandMark } from '../components/brand-mark.tsx';
import { navigate } from '../router.ts';

const MIN_LENGTH = 12;

/** The page an invitation link opens: choose a password, and you are in. */
export function AcceptInvitationView({ token, onSignedIn }: { token: string; onSignedIn: () => void }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password.length < MIN_LENGTH) return setError(`Use at least ${MIN_LENGTH} characters.`);
    if (password !== again) return setError('The two passwords differ.');
    setBusy(true);
    setError(undefined);
    try {
      await acceptInvitation(token, password);
      navigate('/chat', { replace: true });
      onSignedIn();
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} noValidate>
        <BrandMark branding={rememberedBranding()} />
        <h1>Welcome</h1>
        <p className="muted">Choose a password to finish setting up your account.</p>
        <label className="field">
          <span className="field-label">Password (at least {MIN_LENGTH} characters)</span>
          <input
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Password, again</span>
          <input
            type="password"
            autoComplete="new-password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
        </label>
        <p className="form-error" role="alert">
          {error ?? ''}
        </p>
        <button type="submit" className="button button-primary button-wide" disabled={busy || !password}>
          {busy ? 'Setting up…' : 'Set password and sign in'}
        </button>
      </form>
    </main>
  );
}
