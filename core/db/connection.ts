import fs from 'node:fs';
import path from 'node:path';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { createPglite } from './pglite-client.ts';

/** A Drizzle database over either driver; queries are written once for both. */
export type Db = PgDatabase<PgQueryResultHKT>;
/** A transaction handle; everything a `Db` can do, inside one transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A Postgres server; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** Where PGlite keeps its files; `memory://` keeps them in memory (tests). */
  pgliteDir?: string;
  /** A PGlite data directory dump to start from (tests start from a migrated template). */
  loadDataDir?: Blob | File;
}

/** Opens the platform database: PGlite under the data directory, or a Postgres server by URL. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // A broken idle connection must not crash the process; the next query gets a fresh one.
    pool.on('error', () => {});
    await pool.query('select 1');
    return { db: drizzlePg(pool) as unknown as Db, kind: 'postgres', close: () => pool.end() };
  }
  const dir = options.pgliteDir ?? 'memory://';
  if (!dir.startsWith('memory://')) fs.mkdirSync(path.dirname(dir), { recursive: true });
  const client = await createPglite(dir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  return { db: drizzlePglite(client) as unknown as Db, kind: 'pglite', close: () => client.close() };
}

/** Rows of a raw `execute` result; both drivers return `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
