import type { Route } from '../router.ts';
import { useSession } from '../session-context.ts';
import { Link } from './link.tsx';

interface NavItem {
  to: string;
  label: string;
  views: Route['view'][];
  needs?: string;
}

const ITEMS: NavItem[] = [
  { to: '/chat', label: 'Chat', views: ['chat'], needs: 'agents_list' },
  { to: '/users', label: 'Users', views: ['users', 'user'], needs: 'users_list' },
  { to: '/tools', label: 'Tools', views: ['tools'] },
  { to: '/security', label: 'Security', views: ['security'] },
  { to: '/profile', label: 'Profile', views: ['profile'] },
];

/** The console's sections the caller can use; the current one marked for screen readers too. */
export function MainNav({ current }: { current: Route['view'] }) {
  const { hasTool } = useSession();
  return (
    <nav className="main-nav" aria-label="Main">
      <ul>
        {ITEMS.filter((item) => !item.needs || hasTool(item.needs)).map((item) => (
          <li key={item.to}>
            <Link to={item.to} aria-current={item.views.includes(current) ? 'page' : undefined}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
