import { ChangePasswordForm } from '../components/change-password-form.tsx';
import { DevicesPanel } from '../components/devices-panel.tsx';
import { MfaPanel } from '../components/mfa-panel.tsx';
import { useSession } from '../session-context.ts';

/** The security centre: password, two-factor authentication, active devices. */
export function SecurityView() {
  const { me } = useSession();
  return (
    <div className="page">
      <h1>Security</h1>
      <div className="card-grid">
        <section className="card" aria-labelledby="password-title">
          <h2 id="password-title">Password</h2>
          {me.impersonator ? (
            <p className="muted">Passwords cannot be changed while viewing as someone.</p>
          ) : (
            <ChangePasswordForm />
          )}
        </section>
        <section className="card" aria-labelledby="mfa-title">
          <h2 id="mfa-title">Two-factor authentication</h2>
          <MfaPanel />
        </section>
        <section className="card card-wide" aria-labelledby="devices-title">
          <h2 id="devices-title">Active devices</h2>
          <DevicesPanel />
        </section>
      </div>
    </div>
  );
}
