import { ChangePasswordForm } from '../components/change-password-form.tsx';
import { useSession } from '../session-context.ts';

/** After an admin forced a reset: changing the password is the one thing this account can do. */
export function ForcedPasswordView() {
  const { me, refresh, signOut } = useSession();
  return (
    <main className="login">
      <div className="login-card">
        <h1>Choose a new password</h1>
        <p className="muted">
          An administrator asked {me.user.name} to choose a new password before going on. Your other sessions
          have been signed out.
        </p>
        <ChangePasswordForm onChanged={() => void refresh()} />
        <button type="button" className="button button-link" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </main>
  );
}
