import type { ConversationSummary } from '../api/types.ts';
import { formatRelative } from '../format.ts';
import { useSession } from '../session-context.ts';
import { Link } from './link.tsx';
import { Empty, ErrorNotice, Loading } from './states.tsx';

/** The person's conversations, newest first, and a way to start a new one. */
export function ConversationList({
  items,
  loading,
  error,
  currentId,
  onRetry,
  onPick,
}: {
  items: ConversationSummary[] | undefined;
  loading: boolean;
  error: Error | undefined;
  currentId: string | undefined;
  onRetry: () => void;
  onPick?: () => void;
}) {
  const { locale } = useSession();
  return (
    <nav className="conversation-list" aria-label="Conversations">
      <Link to="/chat" className="button button-primary button-wide" onClick={onPick}>
        New chat
      </Link>
      {error ? (
        <ErrorNotice error={error} onRetry={onRetry} />
      ) : !items && loading ? (
        <Loading label="Loading conversations" />
      ) : items && items.length === 0 ? (
        <Empty>No conversations yet.</Empty>
      ) : (
        <ul>
          {(items ?? []).map((c) => (
            <li key={c.id}>
              <Link
                to={`/chat/${encodeURIComponent(c.id)}`}
                aria-current={c.id === currentId ? 'page' : undefined}
                onClick={onPick}
              >
                <span className="conversation-title">{c.title || 'Untitled'}</span>
                <span className="conversation-meta">{formatRelative(c.updatedAt, locale)}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
