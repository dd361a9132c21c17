import { useState } from 'react';
import { callTool } from '../api/client.ts';
import type { UserView } from '../api/types.ts';
import { Avatar } from '../components/avatar.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { Link } from '../components/link.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { type TabItem, Tabs } from '../components/tabs.tsx';
import { roleLabel } from '../format.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useNotify } from '../notices.ts';
import { navigate } from '../router.ts';
import { useSession } from '../session-context.ts';
import { UserActivityTab } from './user-activity-tab.tsx';
import { UserProfileTab } from './user-profile-tab.tsx';
import { UserSecurityTab } from './user-security-tab.tsx';

type Tab = 'profile' | 'activity' | 'security';
const TABS: TabItem<Tab>[] = [
  { key: 'profile', label: 'Profile' },
  { key: 'activity', label: 'Activity' },
  { key: 'security', label: 'Security' },
];

/** One user: who they are, what they did, their sessions; "View As" for super admins. */
export function UserDetailView({ userId, tab }: { userId: string; tab: Tab }) {
  const { me, viewAs } = useSession();
  const notify = useNotify();
  const user = useAsync(
    (signal) => callTool<{ user: UserView }>('users_get', { user: userId }, signal),
    [userId],
  );
  const [confirmViewAs, setConfirmViewAs] = useState(false);

  if (user.error)
    return (
      <section className="page">
        <ErrorNotice error={user.error} onRetry={user.reload} />
      </section>
    );
  if (!user.data)
    return (
      <section className="page">
        <Loading lines={5} />
      </section>
    );
  const u = user.data.user;
  const canViewAs =
    me.user.role === 'super_admin' &&
    !me.impersonator &&
    u.role !== 'super_admin' &&
    u.id !== me.user.id &&
    u.status === 'active';

  return (
    <section className="page" aria-labelledby="user-title">
      <Link to="/users" className="back-link">
        ← Users
      </Link>
      <header className="user-header">
        <Avatar name={u.name} url={u.avatarUrl} size={56} />
        <div>
          <h1 id="user-title">{u.name}</h1>
          <p className="muted">
            {u.email} · {roleLabel(u.role)} · {u.tenant?.name ?? 'no tenant'}{' '}
            <span className={`badge badge-${u.status}`}>{u.status}</span>
          </p>
        </div>
        {canViewAs && (
          <button type="button" className="button" onClick={() => setConfirmViewAs(true)}>
            Impersonate
          </button>
        )}
      </header>
      <Tabs
        label="User details"
        tabs={TABS}
        current={tab}
        idPrefix="user"
        onSelect={(t) => navigate(`/users/${encodeURIComponent(userId)}/${t}`, { replace: true })}
      >
        {tab === 'profile' && <UserProfileTab user={u} />}
        {tab === 'activity' && <UserActivityTab user={u} />}
        {tab === 'security' && <UserSecurityTab user={u} />}
      </Tabs>
      <ConfirmDialog
        open={confirmViewAs}
        title={`View the platform as ${u.name}?`}
        confirmLabel={`View as ${u.name}`}
        danger={false}
        onClose={() => setConfirmViewAs(false)}
        onConfirm={async () => {
          try {
            await viewAs(u.id);
          } catch (error) {
            notify((error as Error).message, 'error');
          } finally {
            setConfirmViewAs(false);
          }
        }}
      >
        <p>
          For 15 minutes this tab acts as {u.name} ({u.email}). Changing roles, passwords, MFA and sessions is
          not possible meanwhile, and every action is recorded under both your names.
        </p>
      </ConfirmDialog>
    </section>
  );
}
