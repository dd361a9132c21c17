import {
  PGlite,
  type PGliteOptions,
  type QueryOptions,
  type Results,
  type Transaction,
  TransactionAbortedError,
  types,
} from '@electric-sql/pglite';
import { DEFERRED } from './deferred.ts';
import { createStatementRunner, type Statement, type StatementRunner } from './pglite-statements.ts';

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

// PGlite's locks: one transaction at a time, one protocol exchange at a time.
interface Locks {
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
}

const BEGIN: Statement = { text: 'BEGIN' };
const COMMIT: Statement = { text: 'COMMIT' };
const ROLLBACK: Statement = { text: 'ROLLBACK' };
const NOTHING: Results = { rows: [], fields: [], affectedRows: 0 };

/**
 * Drizzle passes the same per-query `parsers` on every query; they are the client's defaults
 * here, and merging them into the parser table per statement costs a large object spread.
 */
function withoutParsers(options?: QueryOptions): QueryOptions | undefined {
  return options?.parsers ? { ...options, parsers: undefined } : options;
}

/**
 * A transaction whose statements travel together: BEGIN goes with the first statement, and
 * statements marked as deferred (setting the scope, appending the audit record) wait for the
 * next one, or for COMMIT. A write then costs a few round trips into the database, not one per
 * statement plus two.
 */
async function runTransaction<R>(
  locks: Locks,
  runner: StatementRunner,
  fn: (tx: Transaction) => Promise<R>,
): Promise<R> {
  let begun = false;
  let closed = false;
  // The server's transaction is over (committed or rolled back): nothing left to roll back.
  let ended = false;
  let pending: Statement[] = [];
  const send = async (statements: Statement[], options?: QueryOptions) => {
    const batch = [...(begun ? [] : [BEGIN]), ...pending, ...statements];
    begun = true;
    pending = [];
    return locks._runExclusiveQuery(() => runner.run(batch, withoutParsers(options)));
  };
  const open = () => {
    if (closed) throw new Error('Transaction is closed');
  };
  const tx = {
    async query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
      open();
      if (text.startsWith(DEFERRED)) {
        pending.push({ text, params });
        return NOTHING as Results<T>;
      }
      const results = await send([{ text, params }], options);
      return results[results.length - 1] as Results<T>;
    },
    async exec(text: string, options?: QueryOptions): Promise<Results[]> {
      open();
      if (!begun || pending.length > 0) await send([]);
      return locks._runExclusiveQuery(() => runner.exec(text, withoutParsers(options)));
    },
    async rollback(): Promise<void> {
      open();
      closed = true;
      if (begun) await locks._runExclusiveQuery(() => runner.run([ROLLBACK]));
      ended = true;
    },
    get closed() {
      return closed;
    },
  } as unknown as Transaction;

  try {
    const result = await fn(tx);
    if (!closed) {
      closed = true;
      if (begun || pending.length > 0) {
        const results = await send([COMMIT]);
        ended = true;
        if (results[results.length - 1]?.command === 'ROLLBACK') throw new TransactionAbortedError();
      }
    }
    return result;
  } catch (error) {
    if (begun && !ended) {
      closed = true;
      await locks._runExclusiveQuery(() => runner.run([ROLLBACK])).catch(() => undefined);
    }
    throw error;
  }
}

/** PGlite with Drizzle's parsers as defaults, prepared statements, and pipelined transactions. */
function fastClient(pg: PGlite): PGlite {
  const locks = pg as unknown as Locks;
  const runner = createStatementRunner(pg);
  return new Proxy(pg, {
    get(obj, prop, receiver) {
      if (prop === 'query') {
        return async (text: string, params?: unknown[], options?: QueryOptions) => {
          await pg.waitReady;
          const [result] = await locks._runExclusiveTransaction(() =>
            locks._runExclusiveQuery(() => runner.run([{ text, params }], withoutParsers(options))),
          );
          return result;
        };
      }
      if (prop === 'exec') {
        return async (text: string, options?: QueryOptions) => {
          await pg.waitReady;
          return locks._runExclusiveTransaction(() =>
            locks._runExclusiveQuery(() => runner.exec(text, withoutParsers(options))),
          );
        };
      }
      if (prop === 'transaction') {
        return async <R>(fn: (tx: Transaction) => Promise<R>) => {
          await pg.waitReady;
          return locks._runExclusiveTransaction(() => runTransaction(locks, runner, fn));
        };
      }
      const value = Reflect.get(obj, prop, receiver);
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

/** Opens PGlite with Drizzle's parsers as defaults, wrapped so queries run as prepared statements. */
export async function createPglite(dir: string, options: PGliteOptions = {}): Promise<PGlite> {
  const client = await PGlite.create(dir, {
    ...options,
    parsers: Object.fromEntries(RAW_TEXT_TYPES.map((t) => [t, raw])),
  });
  // Array types are registered after start-up, over the defaults; keep them raw too, as Drizzle asks.
  for (const t of RAW_TEXT_TYPES)
    (client as unknown as { parsers: Record<number, typeof raw> }).parsers[t] = raw;
  return fastClient(client);
}
