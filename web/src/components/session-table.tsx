import type { SessionView } from '../api/types.ts';
import { formatDateTime, formatRelative } from '../format.ts';
import { useSession } from '../session-context.ts';
import { Empty } from './states.tsx';

function deviceOf(s: SessionView): string {
  const app = [s.browser, s.os && `on ${s.os}`].filter(Boolean).join(' ');
  return app || s.device || 'Unknown device';
}

/** Signed-in sessions: device, address, when; the current one marked; each revocable. */
export function SessionTable({
  sessions,
  busyId,
  onRevoke,
  caption,
}: {
  sessions: SessionView[];
  busyId?: string | undefined;
  onRevoke?: (session: SessionView) => void;
  caption: string;
}) {
  const { locale } = useSession();
  if (sessions.length === 0) return <Empty>No active sessions.</Empty>;
  return (
    <div className="table-scroll">
      <table className="session-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Address</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last seen</th>
            {onRevoke && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} className={s.current ? 'is-current' : undefined}>
              <td data-label="Device">
                {deviceOf(s)}
                {s.device && (s.browser || s.os) ? <span className="muted"> · {s.device}</span> : null}
                {s.current && <span className="badge badge-current">This device</span>}
              </td>
              <td data-label="Address">{s.ip ?? '—'}</td>
              <td data-label="Signed in">
                <time dateTime={s.createdAt}>{formatDateTime(s.createdAt, locale)}</time>
              </td>
              <td data-label="Last seen">
                <time dateTime={s.lastSeenAt} title={formatDateTime(s.lastSeenAt, locale)}>
                  {formatRelative(s.lastSeenAt, locale)}
                </time>
              </td>
              {onRevoke && (
                <td className="row-actions">
                  {!s.current && (
                    <button
                      type="button"
                      className="button button-small button-danger"
                      disabled={busyId === s.id}
                      onClick={() => onRevoke(s)}
                      aria-label={`Revoke the session on ${deviceOf(s)} from ${s.ip ?? 'an unknown address'}`}
                    >
                      {busyId === s.id ? 'Revoking…' : 'Revoke'}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
