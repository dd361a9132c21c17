import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { onAuthLoss, request } from './api/client.ts';
import { endImpersonation, startImpersonation } from './api/impersonation.ts';
import { readGrant } from './api/impersonation-store.ts';
import { fetchMe, signOut } from './api/session.ts';
import type { Me, ToolInfo } from './api/types.ts';
import { applyBranding } from './branding.ts';
import { ConsoleShell } from './components/console-shell.tsx';
import { NoticeArea } from './components/notice-area.tsx';
import { type Notice, type NoticeTone, NotifyContext } from './notices.ts';
import { navigate, usePath } from './router.ts';
import { type Session, SessionContext } from './session-context.ts';
import { AcceptInvitationView } from './views/accept-invitation-view.tsx';
import { ForcedPasswordView } from './views/forced-password-view.tsx';
import { LoginView } from './views/login-view.tsx';

type State =
  | { phase: 'loading' }
  | { phase: 'signed-out'; notice?: string }
  | { phase: 'signed-in'; me: Me; tools: ToolInfo[] };

const SESSION_ENDED =
  'Your session has ended: it expired, or it was signed out from another device. Sign in again to continue.';
const CHECK_EVERY_MS = 60_000;

/** The console: sign-in until someone is signed in, then the shell; watches for the session ending. */
export function App() {
  const [state, setState] = useState<State>({ phase: 'loading' });
  const [notices, setNotices] = useState<Notice[]>([]);
  const phase = useRef(state.phase);
  phase.current = state.phase;

  const notify = useCallback((message: string, tone: NoticeTone = 'info') => {
    const id = Date.now() + Math.random();
    setNotices((list) => [...list.slice(-3), { id, message, tone }]);
    setTimeout(() => setNotices((list) => list.filter((n) => n.id !== id)), 6000);
  }, []);

  const load = useCallback(async () => {
    const me = await fetchMe();
    const { tools } = await request<{ tools: ToolInfo[] }>('GET', '/api/tools');
    setState({ phase: 'signed-in', me, tools });
  }, []);

  useEffect(() => {
    load().catch((error: unknown) => {
      const status = (error as { status?: number }).status;
      setState({
        phase: 'signed-out',
        ...(status === 401 ? {} : { notice: (error as Error).message }),
      });
    });
  }, [load]);

  useEffect(
    () =>
      onAuthLoss((loss) => {
        if (loss === 'impersonation-ended') {
          notify('The View As session has ended; you are yourself again.');
          load().catch(() => {});
        } else if (phase.current === 'signed-in') {
          setState({ phase: 'signed-out', notice: SESSION_ENDED });
        }
      }),
    [load, notify],
  );

  // A session revoked from elsewhere should not wait for the next click to show.
  useEffect(() => {
    if (state.phase !== 'signed-in') return;
    const check = () => {
      if (document.visibilityState === 'visible') load().catch(() => {});
    };
    const timer = setInterval(check, CHECK_EVERY_MS);
    document.addEventListener('visibilitychange', check);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', check);
    };
  }, [state.phase, load]);

  const me = state.phase === 'signed-in' ? state.me : undefined;
  useEffect(() => {
    if (me) applyBranding(me.user.tenant.branding);
  }, [me]);

  const session = useMemo<Session | null>(() => {
    if (state.phase !== 'signed-in') return null;
    const { me, tools } = state;
    const names = new Set(tools.map((t) => t.name));
    return {
      me,
      tools,
      locale: { timezone: me.user.timezone, language: me.user.language },
      grant: readGrant(),
      hasTool: (name) => names.has(name),
      refresh: load,
      async signOut() {
        if (readGrant()) await endImpersonation().catch(() => {});
        await signOut().catch(() => {});
        setState({ phase: 'signed-out', notice: 'You have signed out.' });
      },
      async viewAs(userId) {
        await startImpersonation(me, userId);
        await load();
        navigate('/chat');
      },
      async exitViewAs() {
        await endImpersonation().catch(() => {});
        await load();
        notify('You are yourself again.', 'success');
      },
    };
  }, [state, load, notify]);

  const invitation = usePath().match(/^\/invite\/([^/]+)$/)?.[1];
  let body: ReactNode;
  if (invitation)
    body = <AcceptInvitationView token={invitation} onSignedIn={() => load().catch(() => {})} />;
  else if (state.phase === 'loading') body = <p className="page-loading">Loading…</p>;
  else if (state.phase === 'signed-out')
    body = <LoginView notice={state.notice} onSignedIn={() => load().catch(() => {})} />;
  else if (session?.me.mustResetPassword) body = <ForcedPasswordView />;
  else body = <ConsoleShell />;

  return (
    <NotifyContext.Provider value={notify}>
      <SessionContext.Provider value={session}>
        {body}
        <NoticeArea notices={notices} />
      </SessionContext.Provider>
    </NotifyContext.Provider>
  );
}
