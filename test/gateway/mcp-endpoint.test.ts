import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../core/audit/schema.ts';
import { identity } from '../../servers/users/index.ts';
import { startWorld, type World } from '../support/world.ts';

async function connect(url: string, key: string): Promise<Client> {
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

describe('/mcp: the gateway as an MCP server for external clients', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  it('lists exactly the key owner’s tools', async () => {
    const ops = await identity.createApiKeyFor(world.database.db, 'ops@bizosaas.test', 'inspector');
    const nina = await identity.createApiKeyFor(world.database.db, 'nina@northwind.test', 'claude');
    const asOps = await connect(world.url, ops.key);
    const asNina = await connect(world.url, nina.key);
    try {
      const opsTools = (await asOps.listTools()).tools.map((t) => t.name);
      const ninaTools = (await asNina.listTools()).tools.map((t) => t.name);
      expect(opsTools).to.deep.equal(
        world.platform.gateway.listTools(await world.as('ops@bizosaas.test')).map((t) => t.name),
      );
      expect(opsTools).to.include.members(['users_set_role', 'audit_user_timeline']);
      expect(ninaTools).to.include('users_update_profile');
      expect(ninaTools).to.not.include.members([
        'users_set_role',
        'users_invite',
        'users_set_features',
        'audit_search',
      ]);
      const schema = (await asOps.listTools()).tools.find((t) => t.name === 'users_set_role')?.inputSchema;
      expect(schema?.required).to.have.members(['user', 'role']);
    } finally {
      await asOps.close();
      await asNina.close();
    }
  });

  it('calls a tool through the gateway and the call is audited', async () => {
    const { key } = await identity.createApiKeyFor(world.database.db, 'ops@bizosaas.test', 'inspector');
    const client = await connect(world.url, key);
    try {
      const result = await client.callTool({
        name: 'users_set_features',
        arguments: { user: 'dave@acme.test', features: { ai: false } },
      });
      expect(result.isError).to.not.equal(true);
      expect((result.structuredContent as { user: { features: { ai: boolean } } }).user.features.ai).to.equal(
        false,
      );
      const rows = await world.database.db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.tool, 'users_set_features'),
            eq(auditLog.userId, await world.userId('ops@bizosaas.test')),
          ),
        );
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({
        outcome: 'ok',
        via: 'api_key',
        target: await world.userId('dave@acme.test'),
      });
    } finally {
      await client.close();
    }
  });

  it('answers a refused call with an MCP error result carrying the structured error', async () => {
    const { key } = await identity.createApiKeyFor(world.database.db, 'nina@northwind.test', 'claude');
    const client = await connect(world.url, key);
    try {
      const hidden = await client.callTool({
        name: 'users_set_role',
        arguments: { user: 'nina@northwind.test', role: 'admin' },
      });
      expect(hidden.isError).to.equal(true);
      expect((hidden.structuredContent as { error: { code: string } }).error.code).to.equal('forbidden');
      const bad = await client.callTool({ name: 'users_update_profile', arguments: { phone: 42 } });
      expect(bad.isError).to.equal(true);
      expect((bad.structuredContent as { error: { code: string; message: string } }).error).to.include({
        code: 'bad_request',
      });
      expect((bad.structuredContent as { error: { message: string } }).error.message).to.contain('phone');
    } finally {
      await client.close();
    }
  });

  it('refuses a revoked key on the very next request', async () => {
    const { key, id } = await identity.createApiKeyFor(world.database.db, 'carol@acme.test', 'laptop');
    const client = await connect(world.url, key);
    try {
      expect((await client.listTools()).tools.length).to.be.greaterThan(0);
      await world.platform.gateway.callTool(await world.as('carol@acme.test'), 'users_revoke_api_key', {
        key: id,
      });
      let refused: unknown;
      try {
        await client.listTools();
      } catch (error) {
        refused = error;
      }
      expect(String(refused)).to.match(/401|revoked|not valid/i);
    } finally {
      await client.close().catch(() => {});
    }
  });

  it('refuses requests without credentials with 401 and a Bearer challenge', async () => {
    const res = await fetch(`${world.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).to.equal(401);
    expect(res.headers.get('www-authenticate')).to.match(/^Bearer/);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('unauthenticated');
  });
});

describe('/mcp without sessions', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  it('answers GET with 405 and Allow: POST, since the endpoint keeps no server-initiated stream', async () => {
    const { key } = await identity.createApiKeyFor(world.database.db, 'ops@bizosaas.test', 'probe');
    const res = await fetch(`${world.url}/mcp`, {
      headers: { Authorization: `Bearer ${key}`, accept: 'text/event-stream' },
    });
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.equal('POST');
  });
});
