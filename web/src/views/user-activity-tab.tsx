import { useState } from 'react';
import { callTool } from '../api/client.ts';
import type { AuditItem, Page, UserView } from '../api/types.ts';
import { ActivityTimeline } from '../components/activity-timeline.tsx';
import type { Row } from '../components/result-shape.ts';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { useDebounced } from '../hooks/use-debounced.ts';
import { useSession } from '../session-context.ts';

const PAGE_SIZE = 20;

/** What the user did (and what was done while someone viewed as them), newest first. */
export function UserActivityTab({ user }: { user: UserView }) {
  const { hasTool } = useSession();
  const [action, setAction] = useState('');
  const [page, setPage] = useState(1);
  const filter = useDebounced(action.trim());
  const timeline = useAsync(
    (signal) =>
      hasTool('audit_user_timeline')
        ? callTool<Page<AuditItem>>(
            'audit_user_timeline',
            { user: user.id, page, pageSize: PAGE_SIZE, ...(filter ? { action: filter } : {}) },
            signal,
          )
        : Promise.resolve(undefined),
    [user.id, page, filter],
  );
  if (!hasTool('audit_user_timeline')) return <p className="muted">Your role cannot read the audit log.</p>;
  const data = timeline.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  return (
    <div>
      <label className="field field-inline">
        <span className="field-label">Action</span>
        <input
          type="search"
          value={action}
          placeholder="e.g. set_role"
          onChange={(e) => {
            setAction(e.target.value);
            setPage(1);
          }}
        />
      </label>
      {timeline.error ? (
        <ErrorNotice error={timeline.error} onRetry={timeline.reload} />
      ) : !data ? (
        <Loading lines={5} />
      ) : (
        <div className={timeline.loading ? 'is-busy' : undefined}>
          <ActivityTimeline
            items={data.items as unknown as Row[]}
            empty={`No activity for ${user.name} yet.`}
          />
          {pages > 1 && (
            <nav className="pager" aria-label="Pages">
              <span aria-live="polite">
                Page {page} of {pages}
              </span>
              <button
                type="button"
                className="button button-small"
                disabled={page <= 1}
                onClick={() => setPage(page - 1)}
              >
                Newer
              </button>
              <button
                type="button"
                className="button button-small"
                disabled={page >= pages}
                onClick={() => setPage(page + 1)}
              >
                Older
              </button>
            </nav>
          )}
        </div>
      )}
    </div>
  );
}
