import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'chai';
import express from 'express';
import type { MountHealth } from '../../registry/mounts.ts';
import { answerStateless } from '../../servers/kit/stateless-http.ts';
import { refusalOf } from '../support/refusal.ts';
import { startWorld, type World } from '../support/world.ts';

const OPS = 'ops@bizosaas.test';
const CAROL = 'carol@acme.test';
const NINA = 'nina@northwind.test';
const REMOTE_TOKEN = 'remote-token-5e8f1a2b9c';

/** A third-party MCP server over Streamable HTTP that wants a bearer token and records the `_meta` it receives. */
async function remoteServer() {
  const metas: Record<string, unknown>[] = [];
  const app = express();
  app.use(express.json());
  app.post('/mcp', async (req, res) => {
    if (req.headers.authorization !== `Bearer ${REMOTE_TOKEN}`) {
      res.status(401).json({ error: 'bad token' });
      return;
    }
    const server = new McpServer({ name: 'remote-echo', version: '1.0.0' });
    server.registerTool('whoami', { description: 'What this server was told.' }, async (extra) => {
      metas.push((extra._meta ?? {}) as Record<string, unknown>);
      return { content: [{ type: 'text', text: JSON.stringify({ meta: extra._meta ?? {} }) }] };
    });
    await answerStateless(server.server, req, res);
  });
  const listening: http.Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}/mcp`,
    metas,
    close: () => new Promise<void>((resolve) => listening.close(() => resolve())),
  };
}

describe('registry: remote (HTTP) services and servers that fail', function () {
  this.timeout(30_000);
  let world: World;
  let remote: Awaited<ReturnType<typeof remoteServer>>;
  before(async () => {
    world = await startWorld();
    remote = await remoteServer();
  });
  after(async () => {
    await world.close();
    await remote.close();
  });

  const call: World['call'] = (email, tool, args) => world.call(email, tool, args);
  const mounted = async (service: string) =>
    ((await call(OPS, 'registry_stats')) as { mounted: MountHealth[] }).mounted.filter(
      (m) => m.service === service,
    );

  it('reaches a Streamable HTTP server with the tenant’s key as a bearer token, and never passes on our call context', async () => {
    await call(OPS, 'registry_add_service', {
      id: 'remote-echo',
      name: 'Remote Echo',
      category: 'Search',
      vendor: 'Echo Ltd',
      connection: { transport: 'http', url: remote.url },
      auth: 'api_key',
      credentialFields: [{ name: 'ECHO_TOKEN', label: 'Echo token' }],
    });
    const wrong = (await call(NINA, 'registry_connect', {
      service: 'remote-echo',
      credentials: { ECHO_TOKEN: 'not-the-token' },
    })) as { mount: MountHealth };
    expect(wrong.mount.state).to.equal('restarting');
    expect(wrong.mount.lastError).to.be.a('string').and.not.contain('not-the-token');
    await call(NINA, 'registry_disconnect', { service: 'remote-echo' });

    const right = (await call(CAROL, 'registry_connect', {
      service: 'remote-echo',
      credentials: { ECHO_TOKEN: REMOTE_TOKEN },
    })) as { mount: MountHealth };
    expect(right.mount).to.include({ state: 'up', transport: 'http', tools: 1, pid: null });
    const result = (await world.platform.gateway.callToolResult(
      await world.as(CAROL),
      'remote-echo_whoami',
      {},
    )) as CallToolResult;
    expect(result.isError).to.not.equal(true);
    expect(remote.metas).to.have.length(1);
    for (const meta of remote.metas) {
      expect(Object.keys(meta).filter((k) => k.startsWith('bizosaas/'))).to.deep.equal([]);
    }
    expect(JSON.stringify(result)).to.not.contain('bizosaas/context');
    expect((await refusalOf(call(NINA, 'remote-echo_whoami'))).code).to.equal('not_found');
  });

  it('a server that will not start is retried with backoff, reported with its last words (credentials scrubbed), and stopped on disconnect', async () => {
    await call(OPS, 'registry_add_service', {
      id: 'broken',
      name: 'Broken Server',
      category: 'Search',
      vendor: 'Nobody',
      connection: {
        transport: 'stdio',
        command: process.execPath,
        args: ['-e', "console.error('rejected key ' + process.env.BROKEN_KEY); process.exit(3)"],
      },
      auth: 'api_key',
      credentialFields: [{ name: 'BROKEN_KEY' }],
    });
    const connected = (await call(NINA, 'registry_connect', {
      service: 'broken',
      credentials: { BROKEN_KEY: 'broken-key-77aa' },
    })) as { mount: MountHealth; connection: { id: string } };
    expect(connected.connection.id).to.match(/^con_/);
    expect(connected.mount.state).to.equal('restarting');
    expect(connected.mount.lastError)
      .to.contain('rejected key [redacted]')
      .and.not.contain('broken-key-77aa');
    expect((await world.as(NINA)).tenantId).to.equal(connected.mount.tenantId);
    // Still failing after the first retry: the next delay doubles.
    await new Promise((resolve) => setTimeout(resolve, 900));
    const [retried] = await mounted('broken');
    expect(retried?.state).to.equal('restarting');
    const test = (await call(NINA, 'registry_test_connection', { service: 'broken' })) as {
      ok: boolean;
      error: string;
    };
    expect(test.ok).to.equal(false);
    expect(test.error).to.contain('[redacted]').and.not.contain('broken-key-77aa');
    await call(NINA, 'registry_disconnect', { service: 'broken' });
    expect(await mounted('broken')).to.deep.equal([]);
    // The rest of the platform carried on.
    expect(((await call(NINA, 'registry_list_connections')) as { items: unknown[] }).items).to.deep.equal([]);
  });

  it('follows a change of connection settings: running mounts restart with the new ones', async () => {
    const before = (await mounted('remote-echo'))[0];
    expect(before?.state).to.equal('up');
    await call(OPS, 'registry_update_service', {
      service: 'remote-echo',
      connection: { transport: 'http', url: `${remote.url}?v=2` },
    });
    const [after] = await mounted('remote-echo');
    expect(after?.state).to.equal('up');
    expect(after?.since).to.not.equal(before?.since);
    await call(OPS, 'registry_update_service', { service: 'remote-echo', connection: null });
    expect(await mounted('remote-echo')).to.deep.equal([]);
    expect((await refusalOf(call(CAROL, 'remote-echo_whoami'))).code).to.equal('not_found');
  });
});
