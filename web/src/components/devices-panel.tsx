import { useState } from 'react';
import { callTool } from '../api/client.ts';
import type { SessionView } from '../api/types.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useNotify } from '../notices.ts';
import { useSession } from '../session-context.ts';
import { SessionTable } from './session-table.tsx';
import { ErrorNotice, Loading } from './states.tsx';

/** Where you are signed in: this device marked, the others revocable one by one or all at once. */
export function DevicesPanel() {
  const { me } = useSession();
  const notify = useNotify();
  const sessions = useAsync(
    (signal) => callTool<{ sessions: SessionView[] }>('users_list_sessions', {}, signal),
    [],
  );
  const [busyId, setBusyId] = useState<string>();
  const viewingAs = Boolean(me.impersonator);

  const run = async (id: string, work: () => Promise<unknown>, done: string) => {
    setBusyId(id);
    try {
      await work();
      notify(done, 'success');
      sessions.reload();
    } catch (error) {
      notify((error as Error).message, 'error');
    } finally {
      setBusyId(undefined);
    }
  };

  if (sessions.error) return <ErrorNotice error={sessions.error} onRetry={sessions.reload} />;
  if (!sessions.data) return <Loading />;
  const list = sessions.data.sessions;
  const others = list.filter((s) => !s.current).length;
  return (
    <div className="stack">
      <SessionTable
        caption={`${list.length} active session${list.length === 1 ? '' : 's'}`}
        sessions={list}
        busyId={busyId}
        {...(viewingAs
          ? {}
          : {
              onRevoke: (s: SessionView) =>
                run(
                  s.id,
                  () => callTool('users_revoke_sessions', { sessionId: s.id }),
                  'That device is signed out.',
                ),
            })}
      />
      <div>
        <button
          type="button"
          className="button button-danger"
          disabled={viewingAs || others === 0 || busyId !== undefined}
          onClick={() =>
            run(
              'others',
              () => callTool('users_sign_out_other_sessions', {}),
              'Your other sessions are signed out.',
            )
          }
        >
          Sign out all other sessions
        </button>
      </div>
    </div>
  );
}
