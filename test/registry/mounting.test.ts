import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../core/audit/schema.ts';
import { createLogger } from '../../core/logger.ts';
import { createPlatform } from '../../gateway/platform.ts';
import type { MountHealth } from '../../registry/mounts.ts';
import { identity } from '../../servers/users/index.ts';
import { sendChat, userMessage } from '../support/chat.ts';
import { httpClient } from '../support/http.ts';
import { refusalOf } from '../support/refusal.ts';
import { scriptedModel } from '../support/scripted-model.ts';
import { until } from '../support/until.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../support/world.ts';

const require = createRequire(import.meta.url);

/** The installed package's command-line entry (its `bin`), run with this Node: nothing is downloaded. */
function installed(pkg: string): { entry: string; version: string } {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {
    version: string;
    bin: string | Record<string, string>;
  };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : (Object.values(manifest.bin)[0] as string);
  return { entry: path.join(path.dirname(manifestPath), bin), version: manifest.version };
}

const OPS = 'ops@bizosaas.test';
const NINA = 'nina@northwind.test'; // northwind
const BOB = 'bob@northwind.test'; // northwind
const CAROL = 'carol@acme.test'; // acme
const YUKI = 'yuki@zen.test'; // zen
const TOKEN = 'tok-northwind-3c9d1e';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const textOf = (result: unknown) =>
  ((result as CallToolResult).content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');

async function mcpClient(world: World, email: string): Promise<Client> {
  const { key } = await identity.createApiKeyFor(world.database.db, email, 'inspector');
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${world.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

describe('registry: real MCP servers from npm, mounted per tenant', function () {
  this.timeout(60_000);
  const everything = installed('@modelcontextprotocol/server-everything');
  const memory = installed('@modelcontextprotocol/server-memory');
  const script = scriptedModel([
    {
      tools: [
        {
          name: 'kg-memory_create_entities',
          args: {
            entities: [
              { name: 'Saturday rush', entityType: 'fact', observations: ['Saturday is the busiest day'] },
            ],
          },
        },
      ],
    },
    { text: 'I will remember that Saturday is your busiest day.' },
  ]);
  let world: World;
  let closed = false;
  before(async () => {
    world = await startWorld({}, { model: script.model });
  });
  after(async () => {
    if (!closed) await world.close();
  });

  const call: World['call'] = (email, tool, args) => world.call(email, tool, args);
  const toolNames = async (email: string) =>
    world.platform.gateway.listTools(await world.as(email)).map((t) => t.name);
  const health = async (service: string, tenantSlug: string): Promise<MountHealth | undefined> => {
    const tenantId = await world.tenantId(tenantSlug);
    const stats = (await call(OPS, 'registry_stats')) as { mounted: MountHealth[] };
    return stats.mounted.find((m) => m.service === service && m.tenantId === tenantId);
  };
  const graphOf = async (email: string) =>
    textOf(await world.platform.gateway.callToolResult(await world.as(email), 'kg-memory_read_graph', {}));

  it('an admin adds both servers to the catalog through registry_add_service', async () => {
    const added = (await call(OPS, 'registry_add_service', {
      id: 'everything',
      name: 'Everything (MCP reference server)',
      category: 'Utilities/Project Management',
      vendor: 'Model Context Protocol',
      description: 'The MCP reference server that exercises every feature of the protocol.',
      connection: { transport: 'stdio', command: process.execPath, args: [everything.entry, 'stdio'] },
      auth: 'api_key',
      credentialFields: [{ name: 'EVERYTHING_TOKEN', label: 'Everything token' }],
      package: { identifier: '@modelcontextprotocol/server-everything', version: everything.version },
    })) as { service: { id: string; status: string; connection: { transport: string } } };
    expect(added.service).to.include({ id: 'everything', status: 'active' });
    expect(added.service.connection.transport).to.equal('stdio');
    // Its own id would clash with the platform's memory server: the knowledge graph gets another.
    await call(OPS, 'registry_add_service', {
      id: 'kg-memory',
      name: 'Knowledge Graph Memory',
      category: 'Utilities/Project Management',
      vendor: 'Model Context Protocol',
      description: 'A persistent knowledge graph of entities, relations and observations.',
      connection: {
        transport: 'stdio',
        command: process.execPath,
        args: [memory.entry],
        env: { MEMORY_FILE_PATH: '{workDir}/memory.jsonl' },
      },
      package: { identifier: '@modelcontextprotocol/server-memory', version: memory.version },
    });
    expect(
      (
        await refusalOf(
          call(OPS, 'registry_add_service', {
            id: 'memory',
            name: 'Memory',
            category: 'Utilities/Project Management',
            vendor: 'X',
          }),
        )
      ).code,
    ).to.equal('bad_request');
    for (const email of [NINA, CAROL, OPS]) {
      expect(
        (await toolNames(email)).filter((n) => n.startsWith('everything_') || n.startsWith('kg-memory_')),
      ).to.deep.equal([]);
    }
  });

  it('a tenant connects them: the servers start and their tools appear for that tenant’s users only', async () => {
    const first = (await call(NINA, 'registry_connect', {
      service: 'everything',
      credentials: { EVERYTHING_TOKEN: TOKEN },
    })) as { mount: MountHealth; runnable: boolean };
    expect(first.runnable).to.equal(true);
    expect(first.mount).to.include({ state: 'up', transport: 'stdio', restarts: 0 });
    expect(first.mount.tools).to.be.greaterThan(5);
    const second = (await call(NINA, 'registry_connect', { service: 'Knowledge Graph Memory' })) as {
      mount: MountHealth;
    };
    expect(second.mount).to.include({ state: 'up' });

    for (const email of [NINA, BOB]) {
      expect(await toolNames(email), email).to.include.members([
        'everything_echo',
        'everything_get-sum',
        'kg-memory_create_entities',
        'kg-memory_read_graph',
      ]);
    }
    for (const email of [CAROL, YUKI, OPS, 'root@bizosaas.test']) {
      const names = await toolNames(email);
      expect(
        names.filter((n) => n.startsWith('everything_') || n.startsWith('kg-memory_')),
        email,
      ).to.deep.equal([]);
    }
    const test = (await call(BOB, 'registry_test_connection', { service: 'everything' })) as {
      ok: boolean;
      tools: number;
      state: string;
    };
    expect(test).to.include({ ok: true, state: 'up' });
    expect(test.tools).to.equal(first.mount.tools);
  });

  it('their tools work from /mcp with an API key, through the gateway’s policy and audit', async () => {
    const client = await mcpClient(world, NINA);
    try {
      const listed = (await client.listTools()).tools.map((t) => t.name);
      expect(listed).to.include.members([
        'everything_echo',
        'kg-memory_create_entities',
        'registry_marketplace',
      ]);
      const echo = await client.callTool({
        name: 'everything_echo',
        arguments: { message: 'hello from Northwind' },
      });
      expect(echo.isError).to.not.equal(true);
      expect(textOf(echo)).to.equal('Echo: hello from Northwind');
      const sum = await client.callTool({ name: 'everything_get-sum', arguments: { a: 2, b: 40 } });
      expect(textOf(sum)).to.contain('42');
      const created = await client.callTool({
        name: 'kg-memory_create_entities',
        arguments: {
          entities: [{ name: 'Northwind Bakery', entityType: 'business', observations: ['sells bread'] }],
        },
      });
      expect(created.isError).to.not.equal(true);
      const graph = await client.callTool({ name: 'kg-memory_read_graph', arguments: {} });
      expect(textOf(graph)).to.contain('Northwind Bakery').and.contain('sells bread');
    } finally {
      await client.close();
    }
    await world.platform.audit.flush();
    const [echoRecord] = await world.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tool, 'everything_echo'), eq(auditLog.outcome, 'ok')));
    expect(echoRecord).to.include({
      userEmail: NINA,
      via: 'api_key',
      tenantId: await world.tenantId('northwind'),
    });
    const writes = await world.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.tool, 'kg-memory_create_entities'));
    expect(writes.map((r) => r.outcome)).to.deep.equal(['ok']);
  });

  it('the server gets the tenant’s credentials as environment variables, and nothing of the platform’s', async () => {
    const env = JSON.parse(
      textOf(await world.platform.gateway.callToolResult(await world.as(NINA), 'everything_get-env', {})),
    ) as Record<string, string>;
    expect(env.EVERYTHING_TOKEN).to.equal(TOKEN);
    expect(Object.keys(env).filter((k) => k.startsWith('BIZOSAAS') || k === 'DATABASE_URL')).to.deep.equal(
      [],
    );
    expect(env.PATH).to.be.a('string');
  });

  it('another tenant neither sees nor reaches them; its own connection is a separate server with its own data', async () => {
    const yuki = await refusalOf(call(YUKI, 'kg-memory_create_entities', { entities: [] }));
    expect(yuki.code).to.equal('not_found');
    const viaMcp = await mcpClient(world, CAROL);
    try {
      const refused = await viaMcp.callTool({ name: 'everything_echo', arguments: { message: 'x' } });
      expect(refused.isError).to.equal(true);
      expect(JSON.stringify(refused.structuredContent)).to.contain('not_found');
      await call(CAROL, 'registry_connect', { service: 'kg-memory' });
      expect(await graphOf(CAROL)).to.not.contain('Northwind');
      await viaMcp.callTool({
        name: 'kg-memory_create_entities',
        arguments: {
          entities: [{ name: 'Acme Plumbing', entityType: 'business', observations: ['fixes pipes'] }],
        },
      });
    } finally {
      await viaMcp.close();
    }
    expect(await graphOf(CAROL))
      .to.contain('Acme Plumbing')
      .and.not.contain('Northwind');
    expect(await graphOf(NINA))
      .to.contain('Northwind')
      .and.not.contain('Acme');
    const northwind = await health('kg-memory', 'northwind');
    const acme = await health('kg-memory', 'acme');
    expect(northwind?.pid).to.be.a('number');
    expect(acme?.pid).to.be.a('number').and.not.equal(northwind?.pid);
  });

  it('chat uses them: the agent calls the mounted knowledge-graph tool for the user', async () => {
    const http = httpClient(world.url);
    await http.login(NINA, DEMO_PASSWORD);
    const turn = await sendChat(http, {
      id: 'chat-kg',
      messages: [userMessage('u1', 'remember that Saturday is our busiest day')],
    });
    expect(turn.status).to.equal(200);
    const offered = (script.calls[0]?.tools ?? []).map((t) => t.name);
    expect(offered).to.include('kg-memory_create_entities').and.include('everything_echo');
    const part = turn.message?.parts.find((p) => p.type === 'tool-kg-memory_create_entities') as
      | { state: string }
      | undefined;
    expect(part?.state).to.equal('output-available');
    expect(await graphOf(NINA)).to.contain('Saturday rush');
    expect(await graphOf(CAROL)).to.not.contain('Saturday rush');
  });

  it('a crashed server comes back: restarting, then up with a new process, and its tools work again', async () => {
    const before = await health('kg-memory', 'northwind');
    expect(before).to.include({ state: 'up', restarts: 0 });
    const pid = before?.pid as number;
    process.kill(pid, 'SIGKILL');
    const restarting = await until('restarting', async () => {
      const now = await health('kg-memory', 'northwind');
      return now?.state === 'restarting' ? now : undefined;
    });
    expect(restarting.restarts).to.equal(1);
    expect(restarting.lastError).to.contain('went away');
    expect(await toolNames(NINA)).to.not.include('kg-memory_read_graph');
    const up = await until('up again', async () => {
      const now = await health('kg-memory', 'northwind');
      return now?.state === 'up' ? now : undefined;
    });
    expect(up.restarts).to.equal(1);
    expect(up.pid).to.be.a('number').and.not.equal(pid);
    expect(isAlive(pid)).to.equal(false);
    expect(await toolNames(NINA)).to.include('kg-memory_read_graph');
    // The graph was kept on disk in the tenant's own directory.
    expect(await graphOf(NINA))
      .to.contain('Saturday rush')
      .and.contain('Northwind Bakery');
    // The other tenant's server was not touched.
    expect(await health('kg-memory', 'acme')).to.include({ state: 'up', restarts: 0 });
  });

  it('mounts every stored connection when the platform starts', async () => {
    const again = await createPlatform(world.platform.config, {
      database: world.database,
      log: createLogger('silent'),
    });
    try {
      const nina = await world.as(NINA);
      expect(again.gateway.listTools(nina).map((t) => t.name)).to.include.members([
        'everything_echo',
        'kg-memory_read_graph',
      ]);
      expect(
        textOf(await again.gateway.callToolResult(nina, 'everything_echo', { message: 'restarted' })),
      ).to.equal('Echo: restarted');
    } finally {
      await again.close();
    }
  });

  it('disconnecting stops the tenant’s server and its tools go away; removing a service stops every tenant’s', async () => {
    const everythingPid = (await health('everything', 'northwind'))?.pid as number;
    await call(NINA, 'registry_disconnect', { service: 'everything' });
    expect(await toolNames(NINA)).to.not.include('everything_echo');
    expect(await health('everything', 'northwind')).to.equal(undefined);
    await until('the child to exit', () => (isAlive(everythingPid) ? undefined : true));

    const pids = [(await health('kg-memory', 'northwind'))?.pid, (await health('kg-memory', 'acme'))?.pid];
    const removed = (await call(OPS, 'registry_remove_service', { service: 'kg-memory' })) as {
      disconnected: number;
    };
    expect(removed.disconnected).to.equal(2);
    for (const email of [NINA, CAROL]) expect(await toolNames(email)).to.not.include('kg-memory_read_graph');
    for (const pid of pids)
      await until('the child to exit', () => (isAlive(pid as number) ? undefined : true));
  });

  it('closing the platform stops every child process', async () => {
    await call(OPS, 'registry_update_service', { service: 'kg-memory', status: 'active' });
    await call(CAROL, 'registry_connect', { service: 'kg-memory' });
    const pid = (await health('kg-memory', 'acme'))?.pid as number;
    expect(isAlive(pid)).to.equal(true);
    closed = true;
    await world.close();
    await until('the child to exit', () => (isAlive(pid) ? undefined : true));
  });
});
