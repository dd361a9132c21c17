import { formatDateTime, isIsoDateTime, roleLabel } from '../format.ts';
import { useSession } from '../session-context.ts';
import { isRecord } from './result-shape.ts';

/** One value of a result, readable: dates in the reader's zone, roles by name, records by name. */
export function ValueText({ value, field }: { value: unknown; field?: string }) {
  const { locale } = useSession();
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  if (typeof value === 'boolean') return <>{value ? 'Yes' : 'No'}</>;
  if (isIsoDateTime(value)) return <time dateTime={value}>{formatDateTime(value, locale)}</time>;
  if (typeof value === 'string' && field === 'role') return <>{roleLabel(value)}</>;
  if (typeof value === 'string' && (field === 'status' || field === 'outcome'))
    return <span className={`badge badge-${value}`}>{value}</span>;
  if (typeof value === 'string' && /^https?:\/\//.test(value))
    return (
      <a href={value} target="_blank" rel="noreferrer">
        {value}
      </a>
    );
  if (typeof value === 'string' || typeof value === 'number') return <>{String(value)}</>;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object')) return <>{value.length ? value.join(', ') : '—'}</>;
    return <code className="inline-json">{JSON.stringify(value)}</code>;
  }
  if (isRecord(value)) {
    const named = value.name ?? value.email ?? value.slug;
    if (typeof named === 'string') return <>{named}</>;
    const entries = Object.entries(value);
    // Feature toggles and the like: the ones that are on.
    if (entries.length > 0 && entries.every(([, v]) => typeof v === 'boolean')) {
      const on = entries.filter(([, v]) => v).map(([k]) => k);
      return (
        <span className="chips">
          {on.length ? (
            on.map((k) => (
              <span key={k} className="chip">
                {k}
              </span>
            ))
          ) : (
            <span className="muted">none</span>
          )}
        </span>
      );
    }
    return <code className="inline-json">{JSON.stringify(value)}</code>;
  }
  return <>{String(value)}</>;
}
