import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../core/config.ts';
import type { Database } from '../../core/db/connection.ts';
import { createLogger } from '../../core/logger.ts';
import { deriveKeys, loadMasterSecret } from '../../core/secrets.ts';
import { domainServers } from '../../gateway/domain-servers.ts';
import { createPlatform, listen, type Platform } from '../../gateway/platform.ts';
import { toPrincipal } from '../../gateway/principal.ts';
import { remoteGatewayCaller } from '../../servers/kit/gateway-client.ts';
import { serveOverHttp } from '../../servers/kit/serve-http.ts';
import demo from '../../servers/users/demo.json' with { type: 'json' };
import { bootstrap, identity } from '../../servers/users/index.ts';
import { freshDatabase } from '../support/database.ts';

describe('domain servers in their own processes over Streamable HTTP', () => {
  const log = createLogger('silent');
  let database: Database;
  let platform: Platform;
  let gatewayServer: http.Server;
  const remotes: http.Server[] = [];
  let dataDir: string;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizosaas-remote-'));
    database = await freshDatabase();
    const keys = deriveKeys(loadMasterSecret(dataDir, undefined));
    const contextKey = keys.key('call-context');
    let gatewayUrl = '';
    const callBack = (...args: Parameters<ReturnType<typeof remoteGatewayCaller>>) =>
      remoteGatewayCaller(gatewayUrl, contextKey)(...args);
    const urls: string[] = [];
    for (const domain of domainServers(loadConfig({ BIZOSAAS_DATA_DIR: dataDir }), keys)) {
      const server = await serveOverHttp(
        domain,
        { db: database.db, contextKey, log, callTool: callBack },
        { port: 0 },
      );
      remotes.push(server);
      urls.push(`${domain.name}=http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`);
    }
    const config = loadConfig({
      BIZOSAAS_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      BIZOSAAS_SERVER_URLS: urls.join(','),
    });
    platform = await createPlatform(config, { database, log });
    await bootstrap.seedDemo(database.db, demo);
    const listening = await listen(platform, 0, '127.0.0.1');
    gatewayServer = listening.server;
    gatewayUrl = listening.url;
  });

  after(async () => {
    await new Promise((resolve) => gatewayServer.close(resolve));
    for (const server of remotes) await new Promise((resolve) => server.close(resolve));
    await platform.close();
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const as = async (email: string) => {
    const id = await identity.findUserIdByEmail(database.db, email);
    const record = id && (await identity.loadPrincipal(database.db, id));
    if (!record) throw new Error(email);
    return toPrincipal(record, { via: 'session' });
  };

  it('routes calls to remote servers with the same policy, results and errors as in-process ones', async () => {
    const ops = await as('ops@bizosaas.test');
    const partners = (await platform.gateway.callTool(ops, 'users_list', { role: 'partner' })) as {
      items: { email: string }[];
    };
    expect(partners.items.map((u) => u.email)).to.deep.equal(['paula@brightpath.test']);
    const updated = (await platform.gateway.callTool(ops, 'users_update_profile', {
      user: 'bob@northwind.test',
      jobTitle: 'Head Baker',
    })) as {
      user: { jobTitle: string };
    };
    expect(updated.user.jobTitle).to.equal('Head Baker');
    const nina = await as('nina@northwind.test');
    try {
      await platform.gateway.callTool(nina, 'users_update_profile', { user: 'carol@acme.test', name: 'X' });
      expect.fail('a client changed another tenant’s user');
    } catch (error) {
      expect((error as { code: string }).code).to.equal('not_found');
    }
  });

  it('lets a remote server call another domain back through the gateway', async () => {
    const ops = await as('ops@bizosaas.test');
    await platform.gateway.callTool(ops, 'users_set_features', {
      user: 'dave@acme.test',
      features: { reviews: true },
    });
    const timeline = (await platform.gateway.callTool(ops, 'audit_user_timeline', {
      user: 'ops@bizosaas.test',
      action: 'set_features',
    })) as {
      items: { tool: string }[];
    };
    expect(timeline.items.map((i) => i.tool)).to.deep.equal(['users_set_features']);
  });

  it('refuses a call that does not carry a gateway-signed context', async () => {
    const port = (remotes[0] as http.Server).address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port.port}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'list', arguments: {} },
      }),
    });
    const body = (await res.json()) as {
      result: { isError: boolean; structuredContent: { error: { code: string } } };
    };
    expect(body.result.isError).to.equal(true);
    expect(body.result.structuredContent.error.code).to.equal('unauthenticated');
  });
});
