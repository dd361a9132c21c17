import type { ReactNode } from 'react';
import { routeOf, usePath } from '../router.ts';
import { useSession } from '../session-context.ts';
import { ChatView } from '../views/chat-view.tsx';
import { NotFoundView } from '../views/not-found-view.tsx';
import { ProfileView } from '../views/profile-view.tsx';
import { SecurityView } from '../views/security-view.tsx';
import { ToolPaletteView } from '../views/tool-palette-view.tsx';
import { UserDetailView } from '../views/user-detail-view.tsx';
import { UsersView } from '../views/users-view.tsx';
import { AppHeader } from './app-header.tsx';
import { ImpersonationBanner } from './impersonation-banner.tsx';

/** The signed-in console: banner, header and the view the path names. */
export function ConsoleShell() {
  const route = routeOf(usePath());
  const { me } = useSession();
  let view: ReactNode;
  switch (route.view) {
    case 'chat':
      view = <ChatView conversationId={route.conversationId} />;
      break;
    case 'tools':
      view = <ToolPaletteView toolName={route.tool} />;
      break;
    case 'users':
      view = <UsersView />;
      break;
    case 'user':
      view = <UserDetailView userId={route.userId} tab={route.tab} />;
      break;
    case 'security':
      view = <SecurityView />;
      break;
    case 'profile':
      view = <ProfileView />;
      break;
    default:
      view = <NotFoundView />;
  }
  return (
    <div className={me.impersonator ? 'shell shell-impersonating' : 'shell'}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <ImpersonationBanner />
      <AppHeader current={route.view} />
      <main id="main" className={`main main-${route.view}`} tabIndex={-1}>
        {view}
      </main>
    </div>
  );
}
