/**
 * How a tool result is shown, decided from its shape: a page of items or any list of records is
 * a table, audit records are a timeline, one record is a detail card.
 */

export type Row = Record<string, unknown>;

export type ResultShape =
  | { kind: 'empty' }
  | { kind: 'value'; value: unknown }
  | { kind: 'table'; rows: Row[]; listKey?: string; context: Row; total?: number }
  | { kind: 'timeline'; items: Row[]; context: Row; total?: number }
  | { kind: 'record'; record: Row; title?: string };

export const isRecord = (value: unknown): value is Row =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const PAGING = new Set(['page', 'pageSize', 'total', 'hasMore', 'nextPage']);

/** Audit records: when something happened, which tool, with what outcome. */
export function looksLikeAudit(rows: unknown[]): boolean {
  const first = rows[0];
  return (
    isRecord(first) && typeof first.at === 'string' && typeof first.tool === 'string' && 'outcome' in first
  );
}

export function shapeOf(result: unknown): ResultShape {
  if (result === null || result === undefined) return { kind: 'empty' };
  if (Array.isArray(result)) {
    if (result.length > 0 && !result.every(isRecord)) return { kind: 'value', value: result };
    const rows = result as Row[];
    return looksLikeAudit(rows)
      ? { kind: 'timeline', items: rows, context: {} }
      : { kind: 'table', rows, context: {} };
  }
  if (!isRecord(result)) return { kind: 'value', value: result };

  // A list inside an envelope: {items, page, total}, {sessions: […], user}, {agents: […]}.
  const lists = Object.entries(result).filter(
    ([, v]) => Array.isArray(v) && (v.length === 0 || v.every(isRecord)),
  ) as [string, Row[]][];
  const [list] = lists;
  if (list && lists.length === 1) {
    const [listKey, rows] = list;
    const context = Object.fromEntries(
      Object.entries(result).filter(([k]) => k !== listKey && !PAGING.has(k)),
    );
    const total = typeof result.total === 'number' ? result.total : undefined;
    const base = { context, ...(total !== undefined ? { total } : {}) };
    return looksLikeAudit(rows)
      ? { kind: 'timeline', items: rows, ...base }
      : { kind: 'table', rows, listKey, ...base };
  }

  // One entity in an envelope: {user: {…}}, or {user: {…}, invitation: {url, expiresAt}}: the entity,
  // with the envelope's other values after its own fields.
  const entries = Object.entries(result);
  const records = entries.filter((entry): entry is [string, Row] => isRecord(entry[1]));
  const entities = records.filter(([, v]) => 'id' in v || 'email' in v);
  const [only] = entities.length === 1 ? entities : entries.length === 1 ? records : [];
  if (only) {
    const extras: [string, unknown][] = [];
    for (const [key, value] of entries) {
      if (key === only[0]) continue;
      if (isRecord(value))
        for (const [sub, v] of Object.entries(value))
          extras.push([key + sub.charAt(0).toUpperCase() + sub.slice(1), v]);
      else extras.push([key, value]);
    }
    const record = { ...only[1], ...Object.fromEntries(extras.filter(([k]) => !(k in only[1]))) };
    return { kind: 'record', record, title: only[0] };
  }
  return { kind: 'record', record: result };
}

/** Where a row leads in the console, when it is something the console has a page for. */
export function linkFor(row: Row): string | undefined {
  const id = row.id;
  if (typeof id === 'string' && id.startsWith('usr_')) return `/users/${encodeURIComponent(id)}`;
  return undefined;
}

// Columns people look for first; the rest follow in the order the data has them.
const PREFERRED = [
  'name',
  'title',
  'email',
  'role',
  'tenant',
  'status',
  'outcome',
  'browser',
  'os',
  'device',
  'ip',
];
const HIDDEN = new Set([
  'avatarUrl',
  'instructions',
  'features',
  'scopes',
  'phone',
  'updatedAt',
  'timezone',
  'language',
]);
const MAX_COLUMNS = 6;

/** The columns of a table of rows: simple values, records that have a name, never long texts. */
export function columnsFor(rows: Row[]): string[] {
  const keys: string[] = [];
  for (const row of rows.slice(0, 10))
    for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key);
  const showable = keys.filter((key) => {
    if (HIDDEN.has(key)) return false;
    const value = rows.find((r) => r[key] !== null && r[key] !== undefined)?.[key];
    if (Array.isArray(value)) return value.every((v) => typeof v !== 'object');
    if (isRecord(value)) return 'name' in value || 'email' in value || 'slug' in value;
    return true;
  });
  const hasName = showable.includes('name') || showable.includes('email') || showable.includes('title');
  const ordered = [
    ...PREFERRED.filter((k) => showable.includes(k)),
    ...showable.filter((k) => !PREFERRED.includes(k) && !(hasName && k === 'id')),
  ];
  return ordered.slice(0, MAX_COLUMNS);
}

/** A value as plain text, for sorting and for screen-reader-friendly cells. */
export function plainText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(plainText).join(', ');
  if (isRecord(value)) return plainText(value.name ?? value.email ?? value.slug ?? value.id ?? '');
  return String(value);
}
