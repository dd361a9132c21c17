import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { signIn, signOut, verifySecondFactor } from '../api/session.ts';
import { rememberedBranding } from '../branding.ts';
import { BrandMark } from '../components/brand-mark.tsx';

/**
 * Sign-in: email and password, then, when the account has MFA on, the code from the
 * authenticator app (or a recovery code).
 */
export function LoginView({ notice, onSignedIn }: { notice?: string | undefined; onSignedIn: () => void }) {
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const branding = rememberedBranding();

  useEffect(() => {
    if (step === 'code') codeInput.current?.focus();
  }, [step]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (step === 'password') {
        const answer = await signIn(email, password);
        if ('mfaRequired' in answer) {
          setPassword('');
          setStep('code');
          return;
        }
      } else {
        await verifySecondFactor(code.replace(/\s+/g, ''));
      }
      onSignedIn();
    } catch (reason) {
      const expired =
        reason instanceof ApiError && step === 'code' && /No sign-in is waiting/.test(reason.message);
      if (expired) {
        setStep('password');
        setCode('');
      }
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const back = async () => {
    await signOut().catch(() => {});
    setStep('password');
    setCode('');
    setError(undefined);
  };

  return (
    <main className="login">
      <form
        className="login-card"
        onSubmit={submit}
        noValidate
        aria-describedby={error ? 'login-error' : undefined}
      >
        <BrandMark branding={branding} />
        <h1>{step === 'password' ? 'Sign in' : 'Two-step verification'}</h1>
        {notice && step === 'password' && (
          <p className="login-notice" role="status">
            {notice}
          </p>
        )}
        {step === 'password' ? (
          <>
            <label className="field">
              <span className="field-label">Email</span>
              <input
                type="email"
                name="email"
                autoComplete="username"
                required
                // biome-ignore lint/a11y/noAutofocus: the sign-in page has one thing to do
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </label>
            <label className="field">
              <span className="field-label">Password</span>
              <input
                type="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
          </>
        ) : (
          <>
            <p className="muted">
              Enter the 6-digit code from your authenticator app, or one of your recovery codes.
            </p>
            <label className="field">
              <span className="field-label">Code</span>
              <input
                ref={codeInput}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </label>
          </>
        )}
        <p id="login-error" className="form-error" role="alert">
          {error ?? ''}
        </p>
        <button
          type="submit"
          className="button button-primary button-wide"
          disabled={busy || (step === 'password' ? !email || !password : code.trim().length < 6)}
        >
          {busy ? 'Checking…' : step === 'password' ? 'Sign in' : 'Verify'}
        </button>
        {step === 'code' && (
          <button type="button" className="button button-link" onClick={back}>
            Use another account
          </button>
        )}
      </form>
    </main>
  );
}
