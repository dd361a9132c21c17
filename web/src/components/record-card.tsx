import { humanize } from '../format.ts';
import { Avatar } from './avatar.tsx';
import { Link } from './link.tsx';
import { linkFor, type Row } from './result-shape.ts';
import { ValueText } from './value-text.tsx';

const SKIP = new Set(['avatarUrl', 'name']);

/** One record as a card: a heading (name, email or id) and its fields as a description list. */
export function RecordCard({
  record,
  title,
  fields,
  header = true,
}: {
  record: Row;
  title?: string | undefined;
  fields?: string[];
  /** Off where the page already names the record. */
  header?: boolean;
}) {
  const heading = [record.name, record.title, record.email, record.id, title].find(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  const keys = (fields ?? Object.keys(record)).filter(
    (k) => !SKIP.has(k) && !(k === 'title' && heading === record.title),
  );
  const href = linkFor(record);
  const person = typeof record.email === 'string' && typeof record.name === 'string';
  return (
    <article className="record-card">
      {header && (
        <header className="record-card-header">
          {person && (
            <Avatar
              name={record.name as string}
              url={record.avatarUrl as string | null | undefined}
              size={40}
            />
          )}
          <h3>
            {href ? <Link to={href}>{heading ?? 'Record'}</Link> : (heading ?? humanize(title ?? 'Result'))}
          </h3>
        </header>
      )}
      <dl className="record-fields">
        {keys.map((key) => (
          <div key={key} className="record-field">
            <dt>{humanize(key)}</dt>
            <dd>
              <ValueText value={record[key]} field={key} />
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
