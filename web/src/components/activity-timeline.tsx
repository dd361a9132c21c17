import { formatDateTime, humanize } from '../format.ts';
import { useSession } from '../session-context.ts';
import type { Row } from './result-shape.ts';
import { Empty } from './states.tsx';

const GOOD = new Set(['ok', 'approved']);

/** Audit records, newest first: when, what, on what, how it ended, and who was looking as whom. */
export function ActivityTimeline({ items, empty = 'No activity yet.' }: { items: Row[]; empty?: string }) {
  const { locale } = useSession();
  if (items.length === 0) return <Empty>{empty}</Empty>;
  return (
    <ol className="timeline">
      {items.map((item, index) => {
        const at = String(item.at ?? '');
        const outcome = String(item.outcome ?? '');
        const impersonator = item.impersonator as { email?: string | null } | null | undefined;
        const user = item.user as { id?: string; email?: string | null } | null | undefined;
        return (
          <li key={typeof item.id === 'string' ? item.id : index} className="timeline-item">
            <span
              className={GOOD.has(outcome) ? 'timeline-dot' : 'timeline-dot timeline-dot-bad'}
              aria-hidden="true"
            />
            <div className="timeline-body">
              <p className="timeline-title">
                <strong>{humanize(String(item.tool ?? 'action'))}</strong>
                {item.target && item.target !== user?.id ? (
                  <span className="muted"> · {String(item.target)}</span>
                ) : null}
                <span className={`badge badge-${outcome}`}>{outcome}</span>
              </p>
              <p className="timeline-meta">
                <time dateTime={at}>
                  {typeof item.atLocal === 'string' ? item.atLocal : formatDateTime(at, locale)}
                </time>
                {user?.email ? ` · ${user.email}` : ''}
                {item.via ? ` · via ${String(item.via)}` : ''}
                {impersonator?.email ? ` · viewed as by ${impersonator.email}` : ''}
              </p>
              {typeof item.error === 'string' && item.error && <p className="timeline-error">{item.error}</p>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
