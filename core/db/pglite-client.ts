import { PGlite, type PGliteOptions, type QueryOptions, type Transaction, types } from '@electric-sql/pglite';

// Types Drizzle wants as the raw text Postgres sent (it converts them itself).
const RAW_TEXT_TYPES = [
  types.TIMESTAMP,
  types.TIMESTAMPTZ,
  types.INTERVAL,
  types.DATE,
  1231,
  1115,
  1185,
  1187,
  1182,
];
const raw = (value: string) => value;

type Queryable = Pick<PGlite, 'query'> | Pick<Transaction, 'query'>;

/**
 * Drizzle passes the same per-query `parsers` on every query, and PGlite merges them into its
 * whole parser table each time (a large object spread per statement). Making those parsers the
 * client's defaults and dropping the per-query copy gives the same results without that cost.
 */
function withoutQueryParsers<T extends Queryable>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (prop === 'query') {
        return (text: string, params?: unknown[], options?: QueryOptions) =>
          obj.query(text, params, options?.parsers ? { ...options, parsers: undefined } : options);
      }
      if (prop === 'transaction' && 'transaction' in obj) {
        return <R>(fn: (tx: Transaction) => Promise<R>) =>
          (obj as PGlite).transaction((tx) => fn(withoutQueryParsers(tx)));
      }
      const value = Reflect.get(obj, prop, receiver);
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

/** Opens PGlite with Drizzle's parsers as defaults, wrapped so queries skip the per-call merge. */
export async function createPglite(dir: string, options: PGliteOptions = {}): Promise<PGlite> {
  const client = await PGlite.create(dir, {
    ...options,
    parsers: Object.fromEntries(RAW_TEXT_TYPES.map((t) => [t, raw])),
  });
  // Array types are registered after start-up, over the defaults; keep them raw too, as Drizzle asks.
  for (const t of RAW_TEXT_TYPES)
    (client as unknown as { parsers: Record<number, typeof raw> }).parsers[t] = raw;
  return withoutQueryParsers(client);
}
