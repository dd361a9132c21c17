import { roleLabel } from '../format.ts';
import { useSession } from '../session-context.ts';
import { Avatar } from './avatar.tsx';
import { Link } from './link.tsx';

/** Who is signed in, and the way out. */
export function UserMenu() {
  const { me, signOut } = useSession();
  return (
    <div className="user-menu">
      <Link to="/profile" className="user-menu-who" title={me.user.email}>
        <Avatar name={me.user.name} url={me.user.avatarUrl} size={30} />
        <span className="user-menu-text">
          <span className="user-menu-name">{me.user.name}</span>
          <span className="user-menu-role">
            {roleLabel(me.user.role)} · {me.user.tenant.name}
          </span>
        </span>
      </Link>
      <button type="button" className="button button-small" onClick={() => void signOut()}>
        Sign out
      </button>
    </div>
  );
}
