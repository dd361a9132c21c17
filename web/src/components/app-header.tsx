import type { Route } from '../router.ts';
import { useSession } from '../session-context.ts';
import { BrandMark } from './brand-mark.tsx';
import { Link } from './link.tsx';
import { MainNav } from './main-nav.tsx';
import { UserMenu } from './user-menu.tsx';

export function AppHeader({ current }: { current: Route['view'] }) {
  const { me } = useSession();
  return (
    <header className="app-header">
      <Link to="/chat" className="brand-link" aria-label="Home">
        <BrandMark branding={me.user.tenant.branding} />
      </Link>
      <MainNav current={current} />
      <UserMenu />
    </header>
  );
}
