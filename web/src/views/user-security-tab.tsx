import { useState } from 'react';
import { callTool } from '../api/client.ts';
import type { SessionView, UserView } from '../api/types.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { SessionTable } from '../components/session-table.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { useNotify } from '../notices.ts';
import { useSession } from '../session-context.ts';

type Pending = 'revoke-all' | 'force-reset' | undefined;

/** A user's live sessions with Revoke and Revoke all, and a forced password reset. */
export function UserSecurityTab({ user }: { user: UserView }) {
  const { hasTool, me } = useSession();
  const notify = useNotify();
  const sessions = useAsync(
    (signal) => callTool<{ sessions: SessionView[] }>('users_list_sessions', { user: user.id }, signal),
    [user.id],
  );
  const [busyId, setBusyId] = useState<string>();
  const [pending, setPending] = useState<Pending>();
  const viewingAs = Boolean(me.impersonator);

  const revoke = async (session: SessionView) => {
    setBusyId(session.id);
    try {
      await callTool('users_revoke_sessions', { user: user.id, sessionId: session.id });
      notify('Session revoked: that device is signed out.', 'success');
      sessions.reload();
    } catch (error) {
      notify((error as Error).message, 'error');
    } finally {
      setBusyId(undefined);
    }
  };
  const act = async () => {
    try {
      if (pending === 'revoke-all') {
        await callTool('users_revoke_sessions', { user: user.id });
        notify(`${user.name} is signed out everywhere.`, 'success');
      } else if (pending === 'force-reset') {
        await callTool('users_force_password_reset', { user: user.id });
        notify(`${user.name} must choose a new password at the next sign-in.`, 'success');
      }
      sessions.reload();
    } catch (error) {
      notify((error as Error).message, 'error');
    } finally {
      setPending(undefined);
    }
  };

  const list = sessions.data?.sessions ?? [];
  return (
    <div className="stack">
      {viewingAs && <p className="muted">Sessions cannot be changed while viewing as someone.</p>}
      {sessions.error ? (
        <ErrorNotice error={sessions.error} onRetry={sessions.reload} />
      ) : !sessions.data ? (
        <Loading />
      ) : (
        <SessionTable
          caption={`${list.length} active session${list.length === 1 ? '' : 's'}`}
          sessions={list}
          busyId={busyId}
          {...(hasTool('users_revoke_sessions') && !viewingAs ? { onRevoke: revoke } : {})}
        />
      )}
      <div className="actions">
        {hasTool('users_revoke_sessions') && (
          <button
            type="button"
            className="button button-danger"
            disabled={viewingAs || list.length === 0}
            onClick={() => setPending('revoke-all')}
          >
            Revoke all
          </button>
        )}
        {hasTool('users_force_password_reset') && (
          <button
            type="button"
            className="button"
            disabled={viewingAs}
            onClick={() => setPending('force-reset')}
          >
            Force password reset
          </button>
        )}
      </div>
      <ConfirmDialog
        open={pending !== undefined}
        title={
          pending === 'revoke-all'
            ? `Sign ${user.name} out everywhere?`
            : `Force ${user.name} to reset their password?`
        }
        confirmLabel={pending === 'revoke-all' ? 'Revoke all sessions' : 'Force reset'}
        onConfirm={act}
        onClose={() => setPending(undefined)}
      >
        <p>
          {pending === 'revoke-all'
            ? 'Every device they are signed in on is signed out at its next request.'
            : 'They are signed out everywhere now, and at their next sign-in they can only choose a new password.'}
        </p>
      </ConfirmDialog>
    </div>
  );
}
