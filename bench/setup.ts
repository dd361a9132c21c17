import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../core/config.ts';
import { openDatabase } from '../core/db/connection.ts';
import { createLogger } from '../core/logger.ts';
import { createPlatform, type Platform } from '../gateway/platform.ts';
import { toPrincipal } from '../gateway/principal.ts';
import demo from '../servers/users/demo.json' with { type: 'json' };
import { bootstrap, identity } from '../servers/users/index.ts';

/** A platform on a fresh embedded database (or DATABASE_URL's server) with the demo data. */
export async function benchPlatform(): Promise<{
  platform: Platform;
  as(email: string): ReturnType<typeof principal>;
  close(): Promise<void>;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizosaas-bench-'));
  const config = loadConfig({
    BIZOSAAS_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  });
  const database = await openDatabase({ url: config.databaseUrl });
  const platform = await createPlatform(config, { database, log: createLogger('silent') });
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
