import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type express from 'express';
import { type Automation, createAutomation } from '../agents/automation/index.ts';
import { type AgentRuntime, createAgentRuntime } from '../agents/runtime.ts';
import { type AuditBatcher, createAuditBatcher } from '../core/audit/batch-writer.ts';
import type { Config } from '../core/config.ts';
import { type Database, openDatabase } from '../core/db/connection.ts';
import { applyMigrations } from '../core/db/migrate.ts';
import { lockPgliteDir } from '../core/db/pglite-lock.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import { deriveKeys, type Keys, loadMasterSecret } from '../core/secrets.ts';
import { createMountManager, seedCatalog, workRootIn } from '../registry/index.ts';
import { emitDueTaskEvents } from '../servers/crm/index.ts';
import type { ServerDeps } from '../servers/kit/define-server.ts';
import { bootstrap } from '../servers/users/index.ts';
import { createPassport } from './auth/passport-local.ts';
import { createGateway, type Gateway } from './call-tool.ts';
import { domainServers } from './domain-servers.ts';
import { createToolHost } from './host/tool-host.ts';
import { createHttpApp } from './http/app.ts';
import { principalFromContext } from './principal.ts';

export interface Platform {
  config: Config;
  database: Database;
  gateway: Gateway;
  agents: AgentRuntime;
  /** Task automation; `bizosaas start` starts its timer, tests call `tick()`. */
  automation: Automation;
  audit: AuditBatcher;
  keys: Keys;
  log: Logger;
  app: express.Express;
  /** What first start created: the first super admin, with a generated password if none was configured. */
  firstAdmin: { created: boolean; email?: string; generatedPassword?: string | undefined };
  close(): Promise<void>;
}

export interface PlatformOptions {
  log?: Logger;
  /** An already open database (tests); otherwise opened from the configuration. */
  database?: Database;
  auditFlushMs?: number;
  /** A language model for the agents instead of the configured one (tests). */
  model?: LanguageModelV3;
}

/** Opens the embedded database (locked to this process) or the configured Postgres server. */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) return openDatabase({ url: config.databaseUrl });
  const dir = path.join(config.dataDir, 'pglite');
  const lock = lockPgliteDir(dir);
  try {
    const database = await openDatabase({ pgliteDir: dir });
    return { ...database, close: () => database.close().finally(() => lock.release()) };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Assembles the platform: database and migrations, first admin, domain servers, gateway, HTTP app. */
export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const log = options.log ?? createLogger(config.logLevel);
  const keys = deriveKeys(loadMasterSecret(config.dataDir, config.secret));
  const database = options.database ?? (await openConfiguredDatabase(config));
  const db = database.db;
  await applyMigrations(database);
  const firstAdmin = await bootstrap.ensurePlatform(db, config.admin);
  await seedCatalog(db);

  const audit = createAuditBatcher(db, log, { flushMs: options.auditFlushMs ?? 1000 });
  const host = createToolHost();
  const mounts = createMountManager({
    db,
    host,
    credentialsKey: keys.key('credentials'),
    log,
    workRoot: workRootIn(config.dataDir),
  });
  const gateway = createGateway({
    host,
    contextKey: keys.key('call-context'),
    audit,
    log,
    tenantConcurrency: config.tenantConcurrency,
  });
  const serverDeps: ServerDeps = {
    db,
    contextKey: keys.key('call-context'),
    log,
    callTool: (ctx, name, args) => gateway.callTool(principalFromContext(ctx), name, args, { nested: true }),
  };
  for (const domain of domainServers(config, keys, mounts)) {
    const url = config.serverUrls[domain.name];
    if (url) {
      await host.mount(domain.name, new StreamableHTTPClientTransport(new URL(url)));
      continue;
    }
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await domain.create(serverDeps).connect(serverSide);
    await host.mount(domain.name, clientSide);
  }
  // The services tenants connected, each for its tenant; one that fails is logged and retried.
  await mounts.mountAll();

  const agents = createAgentRuntime({
    gateway,
    db,
    config,
    audit,
    log,
    approvalSecret: keys.key('tool-approvals'),
    model: options.model,
  });
  const automation = createAutomation({ db, agents, log, sweeps: [emitDueTaskEvents] });
  const app = createHttpApp({
    agents,
    config,
    database,
    gateway,
    audit,
    passport: createPassport(db),
    contextKey: keys.key('call-context'),
    impersonationKey: keys.key('impersonation'),
    credentialsKey: keys.key('credentials'),
    log,
  });
  return {
    config,
    database,
    gateway,
    agents,
    automation,
    audit,
    keys,
    log,
    app,
    firstAdmin,
    async close() {
      await automation.stop();
      await mounts.close();
      await host.close();
      await audit.close();
      if (!options.database) await database.close();
    },
  };
}

/** Starts listening; resolves with the bound URL (port 0 picks a free port). */
export function listen(
  platform: Platform,
  port = platform.config.port,
  hostname = platform.config.host,
): Promise<{ server: http.Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = platform.app.listen(port, hostname, (error?: Error) => {
      if (error) return reject(error);
      const address = server.address() as AddressInfo;
      resolve({
        server,
        url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${address.port}`,
      });
    });
  });
}
