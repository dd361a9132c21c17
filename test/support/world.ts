import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { loadConfig } from '../../core/config.ts';
import type { Database } from '../../core/db/connection.ts';
import { createLogger } from '../../core/logger.ts';
import { createPlatform, listen, type Platform } from '../../gateway/platform.ts';
import { type How, type Principal, toPrincipal } from '../../gateway/principal.ts';
import demo from '../../servers/users/demo.json' with { type: 'json' };
import { bootstrap, identity } from '../../servers/users/index.ts';
import { freshDatabase } from './database.ts';

export { demo };
export const DEMO_PASSWORD = demo.password;

export interface World {
  platform: Platform;
  database: Database;
  url: string;
  dataDir: string;
  /** The principal of a demo user, as if signed in with a session. */
  as(email: string, how?: How): Promise<Principal>;
  /** Calls a tool through the gateway as that demo user (session door). */
  call(email: string, tool: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  userId(email: string): Promise<string>;
  tenantId(slug: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A running platform on a fresh database with the demo tenants and users, listening on a free
 * loopback port: what each suite starts from.
 */
export async function startWorld(
  env: Record<string, string> = {},
  options: { model?: LanguageModelV3 } = {},
): Promise<World> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizosaas-test-'));
  const config = loadConfig({
    BIZOSAAS_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    BIZOSAAS_ADMIN_PASSWORD: 'first-admin-password',
    ...env,
  });
  const database = await freshDatabase();
  const platform = await createPlatform(config, { database, log: createLogger('silent'), ...options });
  await bootstrap.seedDemo(database.db, demo);
  const { server, url } = await listen(platform, 0, '127.0.0.1');
  const userId = async (email: string) => {
    const id = await identity.findUserIdByEmail(database.db, email);
    if (!id) throw new Error(`no demo user ${email}`);
    return id;
  };
  const as = async (email: string, how: How = { via: 'session' }) => {
    const record = await identity.loadPrincipal(database.db, await userId(email));
    if (!record) throw new Error(`${email} is not active`);
    return toPrincipal(record, how);
  };
  return {
    platform,
    database,
    url,
    dataDir,
    userId,
    as,
    call: async (email, tool, args = {}) => platform.gateway.callTool(await as(email), tool, args),
    async tenantId(slug) {
      const root = await as('root@bizosaas.test');
      const result = (await platform.gateway.callTool(root, 'users_list', { tenant: slug, pageSize: 1 })) as {
        items: { tenant: { id: string } }[];
      };
      const id = result.items[0]?.tenant.id;
      if (!id) throw new Error(`no tenant ${slug} with users`);
      return id;
    },
    async close() {
      await new Promise<void>((resolve) => (server as http.Server).close(() => resolve()));
      await platform.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
