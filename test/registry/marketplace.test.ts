import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../core/audit/schema.ts';
import { decryptSecret } from '../../core/crypto.ts';
import { withTenantScope } from '../../core/db/tenant-scope.ts';
import type { AppError } from '../../core/errors.ts';
import { registryConnections } from '../../registry/schema.ts';
import { identity } from '../../servers/users/index.ts';
import { httpClient } from '../support/http.ts';
import { refusalOf } from '../support/refusal.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../support/world.ts';

interface MarketItem {
  id: string;
  name: string;
  status: string;
  connected: boolean;
  featured: boolean;
  credentialFields: { name: string }[];
}

const fieldsOf = (error: AppError) => (error.details?.fields ?? []) as { field: string }[];

const OPS = 'ops@bizosaas.test';
const NINA = 'nina@northwind.test'; // northwind: starter
const BOB = 'bob@northwind.test';
const CAROL = 'carol@acme.test'; // acme: pro
const YUKI = 'yuki@zen.test';

describe('registry: the marketplace for tenants', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  const call: World['call'] = (email, tool, args) => world.call(email, tool, args);
  const connectionRows = () => world.database.db.select().from(registryConnections);

  it('shows what the tenant’s plan may use: active services offered to its tier, featured first', async () => {
    await call(OPS, 'registry_update_service', { service: 'salesforce', tiers: ['pro', 'enterprise'] });
    await call(OPS, 'registry_update_service', { service: 'cloudways', status: 'deprecated' });
    await call(OPS, 'registry_update_service', {
      service: 'mailchimp',
      featured: true,
      onboardingVisible: true,
    });
    const market = async (email: string, args: Record<string, unknown> = {}) =>
      (await call(email, 'registry_marketplace', { pageSize: 100, ...args })) as {
        tier: string;
        items: MarketItem[];
        total: number;
      };
    const nina = await market(NINA);
    expect(nina.tier).to.equal('starter');
    expect(nina.total).to.equal(73);
    expect(nina.items[0]?.id).to.equal('mailchimp');
    expect(nina.items.map((s) => s.id)).to.not.include.members(['salesforce', 'cloudways']);
    const carol = await market(CAROL, { category: 'CRM' });
    expect(carol.items.map((s) => s.id)).to.include('salesforce');
    expect((await market(NINA, { onboarding: true })).items.map((s) => s.id)).to.deep.equal(['mailchimp']);
    expect((await market(NINA, { query: 'zoho', category: 'CRM' })).items.map((s) => s.id)).to.deep.equal([
      'zoho-crm',
    ]);
    // Connecting follows the same rules.
    const tier = await refusalOf(
      call(NINA, 'registry_connect', { service: 'salesforce', credentials: { API_KEY: 'k-1234' } }),
    );
    expect(tier.code).to.equal('forbidden');
    const deprecated = await refusalOf(
      call(CAROL, 'registry_connect', { service: 'cloudways', credentials: { API_KEY: 'k-1234' } }),
    );
    expect(deprecated.code).to.equal('conflict');
    expect(await connectionRows()).to.deep.equal([]);
  });

  it('validates credentials against the service’s fields, naming the field, and stores nothing on refusal', async () => {
    const missing = await refusalOf(call(NINA, 'registry_connect', { service: 'hubspot' }));
    expect(missing.code).to.equal('bad_request');
    expect(fieldsOf(missing).map((f) => f.field)).to.deep.equal(['credentials.API_KEY']);
    const unknown = await refusalOf(
      call(NINA, 'registry_connect', {
        service: 'hubspot',
        credentials: { API_KEY: 'k-1234', PASSWORD: 'x' },
      }),
    );
    expect(unknown.code).to.equal('bad_request');
    expect(fieldsOf(unknown).map((f) => f.field)).to.deep.equal(['credentials.PASSWORD']);
    const blank = await refusalOf(
      call(NINA, 'registry_connect', { service: 'hubspot', credentials: { API_KEY: '  ' } }),
    );
    expect(blank.code).to.equal('bad_request');
    expect((await refusalOf(call(NINA, 'registry_connect', { service: 'no-such-thing' }))).code).to.equal(
      'not_found',
    );
    expect(await connectionRows()).to.deep.equal([]);
  });

  it('never lets credentials leave the server: not in any tool, REST or MCP answer, nor the audit log; encrypted at rest', async () => {
    const SECRET = 'hs-secret-7f3a9c2e51d04b88';
    const ROTATED = 'hs-rotated-0b1d2f3a4c5e6a7b';
    const answers: unknown[] = [];
    const keep = <T>(value: T) => {
      answers.push(value);
      return value;
    };
    const connected = keep(
      (await call(NINA, 'registry_connect', { service: 'HubSpot', credentials: { API_KEY: SECRET } })) as {
        connection: { id: string; credentialsSet: string[] };
        created: boolean;
      },
    );
    expect(connected.created).to.equal(true);
    expect(connected.connection.credentialsSet).to.deep.equal(['API_KEY']);

    // At rest: AES-GCM ciphertext, which the platform's key (and only it) turns back into the value.
    const [stored] = await connectionRows();
    expect(stored?.credentials).to.be.a('string').and.match(/^v1\./);
    expect(stored?.credentials).to.not.contain(SECRET);
    expect(Buffer.from(stored?.credentials ?? '', 'utf8').toString('base64')).to.not.contain(
      Buffer.from(SECRET).toString('base64'),
    );
    const key = world.platform.keys.key('credentials');
    expect(JSON.parse(decryptSecret(key, stored?.credentials ?? ''))).to.deep.equal({ API_KEY: SECRET });

    // Every tool that can show a connection or a service, to the tenant and to staff.
    keep(await call(NINA, 'registry_list_connections'));
    keep(await call(BOB, 'registry_list_connections'));
    keep(await call(NINA, 'registry_marketplace', { query: 'hubspot' }));
    keep(await call(NINA, 'registry_test_connection', { service: 'hubspot' }));
    keep(await call(OPS, 'registry_get_service', { service: 'hubspot' }));
    keep(await call(OPS, 'registry_search_services', { query: 'hubspot' }));
    keep(await call(OPS, 'registry_stats'));
    keep(await call('root@bizosaas.test', 'registry_get_service', { service: 'hubspot' }));

    // REST: the console's tool door, with a session.
    const http = httpClient(world.url);
    await http.login(NINA, DEMO_PASSWORD);
    const rest = await http.post('/api/tools/registry_connect', {
      service: 'hubspot',
      credentials: { API_KEY: ROTATED },
    });
    expect(rest.status).to.equal(200);
    answers.push(rest.text);
    answers.push((await http.post('/api/tools/registry_list_connections', {})).text);
    answers.push((await http.get('/api/tools')).text);
    answers.push((await http.get('/v0/servers?search=hubspot')).text);

    // MCP: an external client with an API key.
    const { key: apiKey } = await identity.createApiKeyFor(world.database.db, NINA, 'claude');
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${world.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
      }),
    );
    try {
      answers.push(await client.callTool({ name: 'registry_list_connections', arguments: {} }));
      answers.push(
        await client.callTool({ name: 'registry_test_connection', arguments: { service: 'hubspot' } }),
      );
      answers.push(await client.listTools());
    } finally {
      await client.close();
    }

    const everything = JSON.stringify(answers);
    for (const secret of [SECRET, ROTATED]) expect(everything).to.not.contain(secret);

    // Reconnecting replaced (rotated) the credentials.
    const [rotated] = await connectionRows();
    expect(JSON.parse(decryptSecret(key, rotated?.credentials ?? ''))).to.deep.equal({ API_KEY: ROTATED });
    expect(rotated?.credentialsRotatedAt).to.be.instanceOf(Date);
    expect(rotated?.id).to.equal(connected.connection.id);

    await world.platform.audit.flush();
    const records = await world.database.db.select().from(auditLog);
    const connects = records.filter((r) => r.tool === 'registry_connect' && r.outcome === 'ok');
    expect(connects).to.have.length(2);
    expect(connects[0]?.args).to.deep.include({ service: 'HubSpot', credentials: '[redacted]' });
    const log = JSON.stringify(records);
    for (const secret of [SECRET, ROTATED]) expect(log).to.not.contain(secret);
  });

  it('keeps connections tenant-owned: other tenants neither see nor change them (policy and row-level security)', async () => {
    await call(CAROL, 'registry_connect', { service: 'hubspot', credentials: { API_KEY: 'acme-key-1234' } });
    const carol = (await call(CAROL, 'registry_list_connections')) as { items: { tenantId: string }[] };
    const acme = await world.tenantId('acme');
    const northwind = await world.tenantId('northwind');
    expect(carol.items.map((c) => c.tenantId)).to.deep.equal([acme]);
    const yuki = (await call(YUKI, 'registry_list_connections')) as { items: unknown[] };
    expect(yuki.items).to.deep.equal([]);
    expect((await refusalOf(call(YUKI, 'registry_disconnect', { service: 'hubspot' }))).code).to.equal(
      'not_found',
    );
    expect((await refusalOf(call(YUKI, 'registry_test_connection', { service: 'hubspot' }))).code).to.equal(
      'not_found',
    );
    expect(await connectionRows()).to.have.length(2);
    // The second wall: a query as acme without any tenant filter sees acme's row only.
    const carolPrincipal = await world.as(CAROL);
    const visible = await withTenantScope(world.database.db, carolPrincipal, (tx) =>
      tx.select().from(registryConnections),
    );
    expect(visible.map((r) => r.tenantId)).to.deep.equal([acme]);
    // And cannot file a connection under another tenant.
    let failure: unknown;
    try {
      await withTenantScope(world.database.db, carolPrincipal, (tx) =>
        tx.insert(registryConnections).values({
          id: 'con_forged',
          tenantId: northwind,
          serviceId: 'mailchimp',
          connectedBy: carolPrincipal.userId,
        }),
      );
    } catch (error) {
      failure = error;
    }
    const reason = `${(failure as Error)?.message} ${((failure as Error)?.cause as Error)?.message}`;
    expect(reason).to.match(/row-level security/);
  });

  it('disconnects: the stored credentials are deleted, the audit names who did it', async () => {
    const result = (await call(BOB, 'registry_disconnect', { service: 'hubspot' })) as {
      disconnected: boolean;
    };
    expect(result.disconnected).to.equal(true);
    const northwind = await world.tenantId('northwind');
    const rows = await connectionRows();
    expect(rows.map((r) => r.tenantId)).to.not.include(northwind);
    const [record] = await world.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tool, 'registry_disconnect'), eq(auditLog.outcome, 'ok')));
    expect(record).to.include({ userEmail: BOB, target: 'hubspot', tenantId: northwind });
    expect((await refusalOf(call(BOB, 'registry_disconnect', { service: 'hubspot' }))).code).to.equal(
      'not_found',
    );
  });

  it('tests a connection to a service without an MCP server as not runnable yet, and refuses connecting while viewing as someone', async () => {
    await call(NINA, 'registry_connect', { service: 'mailchimp', credentials: { API_KEY: 'mc-1234' } });
    const test = (await call(NINA, 'registry_test_connection', { service: 'Mailchimp' })) as {
      ok: boolean;
      error: string;
    };
    expect(test.ok).to.equal(false);
    expect(test.error).to.contain('no MCP server');
    const root = await world.as('root@bizosaas.test');
    const asNina = await world.as(NINA, {
      via: 'impersonation',
      impersonator: { id: root.userId, email: root.email },
    });
    const refused = await refusalOf(
      world.platform.gateway.callTool(asNina, 'registry_connect', {
        service: 'mailchimp',
        credentials: { API_KEY: 'mc-evil-1234' },
      }),
    );
    expect(refused.code).to.equal('forbidden');
  });
});
