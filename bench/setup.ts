import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { createPlatform, type Platform } from '../gateway/platform.ts';
import { toPrincipal } from '../gateway/principal.ts';
import demo from '../servers/users/demo.json' with { type: 'json' };
import { bootstrap, identity } from '../servers/users/index.ts';
import { freshDatabase } from '../test/support/database.ts';

/** A platform on a fresh embedded database (or DATABASE_URL's server) with the demo data. */
export async function benchPlatform(): Promise<{
  platform: Platform;
  as(email: string): ReturnType<typeof principal>;
  close(): Promise<void>;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizosaas-bench-'));
  const config = loadConfig({ BIZOSAAS_DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
  // A database of its own: a fresh embedded one, or a new database on DATABASE_URL's server.
  const database = await freshDatabase();
  const platform = await createPlatform(config, {
    database,
    log: createLogger((process.env.LOG_LEVEL ?? 'silent') as 'silent'),
  });
  await bootstrap.seedDemo(database.db, demo);
  const principal = async (email: string) => {
    const id = await identity.findUserIdByEmail(database.db, email);
    const record = id ? await identity.loadPrincipal(database.db, id) : undefined;
    if (!record) throw new Error(email);
    return toPrincipal(record, { via: 'session' });
  };
  return {
    platform,
    as: principal,
    async close() {
      await platform.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
