import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../core/db/connection.ts';
import { applyMigrations } from '../../core/db/migrate.ts';

/**
 * Fresh databases for tests, each already migrated. On PGlite a migrated data directory is dumped
 * once and every suite starts from a copy; with DATABASE_URL set, every suite gets its own new
 * database on that server, cloned from a migrated template, and dropped afterwards.
 */

const serverUrl = process.env.DATABASE_URL;
export const databaseKind = serverUrl ? 'postgres' : 'pglite';

let pgliteTemplate: Promise<Blob> | undefined;
let postgresTemplate: Promise<string> | undefined;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function makePostgresTemplate(): Promise<string> {
  const name = `bizosaas_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  const database = await openDatabase({ url: withDatabase(serverUrl as string, name) });
  await applyMigrations(database);
  await database.close();
  process.once('exit', () => {
    // Best effort: the template is dropped with the last suite's connection gone.
  });
  return name;
}

const created: string[] = [];

/** A new, migrated, empty database. */
export async function freshDatabase(): Promise<Database> {
  if (!serverUrl) {
    pgliteTemplate ??= (async () => {
      const db = await openDatabase({});
      await applyMigrations(db);
      const client = (db.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
      const dump = await client.dumpDataDir('none');
      await db.close();
      return dump;
    })();
    return openDatabase({ loadDataDir: await pgliteTemplate });
  }
  postgresTemplate ??= makePostgresTemplate();
  const template = await postgresTemplate;
  const name = `bizosaas_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database ${name} template ${template}`));
  created.push(name);
  const database = await openDatabase({ url: withDatabase(serverUrl, name) });
  return {
    ...database,
    async close() {
      await database.close();
      await admin((c) => c.query(`drop database if exists ${name}`));
    },
  };
}

/** Drops the Postgres template at the end of the run. */
export async function dropTemplates(): Promise<void> {
  if (!serverUrl || !postgresTemplate) return;
  const template = await postgresTemplate;
  await admin((c) => c.query(`drop database if exists ${template}`));
}
