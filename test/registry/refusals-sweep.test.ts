import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { expect } from 'chai';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog } from '../../core/audit/schema.ts';
import type { AppError } from '../../core/errors.ts';
import { createLogger } from '../../core/logger.ts';
import { createGateway, type Gateway } from '../../gateway/call-tool.ts';
import { createToolHost, type ToolHost } from '../../gateway/host/tool-host.ts';
import { createMountManager, type MountManager, registryServer } from '../../registry/index.ts';
import type { MountHealth } from '../../registry/mounts.ts';
import { registryConnections, registryServices } from '../../registry/schema.ts';
import { refusalOf } from '../support/refusal.ts';
import { until } from '../support/until.ts';
import { startWorld, type World } from '../support/world.ts';

const ROOT = 'root@bizosaas.test'; // super admin
const OPS = 'ops@bizosaas.test'; // admin
const SUPPORT = 'support@bizosaas.test'; // sub-admin: CRM and Email Marketing
const PAULA = 'paula@brightpath.test'; // partner; brightpath is on pro
const NINA = 'nina@northwind.test'; // client; northwind is on starter
const CAROL = 'carol@acme.test'; // client; acme is on pro

const MANAGEMENT_TOOLS = [
  'registry_stats',
  'registry_search_services',
  'registry_get_service',
  'registry_update_service',
  'registry_add_service',
  'registry_remove_service',
] as const;

const MARKETPLACE_TOOLS = [
  'registry_marketplace',
  'registry_connect',
  'registry_disconnect',
  'registry_test_connection',
  'registry_list_connections',
] as const;

/** Arguments each management tool would accept from staff: a refusal is about who calls, not what. */
const VALID_MANAGEMENT_ARGS: Record<(typeof MANAGEMENT_TOOLS)[number], Record<string, unknown>> = {
  registry_stats: {},
  registry_search_services: { query: 'hub', category: 'CRM' },
  registry_get_service: { service: 'hubspot' },
  registry_update_service: {
    service: 'hubspot',
    featured: true,
    onboardingVisible: true,
    affiliateUrl: 'https://partner.example/ref?who=sweep',
  },
  registry_add_service: { id: 'sneaky-sweep', name: 'Sneaky Sweep', category: 'CRM', vendor: 'Me' },
  registry_remove_service: { service: 'hubspot' },
};

const fieldsOf = (error: AppError) =>
  ((error.details?.fields ?? []) as { field: string }[]).map((f) => f.field);

describe('registry: refusals sweep (roles, bad input, tiers) and mounts left down', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  const call: World['call'] = (email, tool, args) => world.call(email, tool, args);
  const catalogRows = () =>
    world.database.db.select().from(registryServices).orderBy(asc(registryServices.id));
  const connectionRows = () =>
    world.database.db.select().from(registryConnections).orderBy(asc(registryConnections.id));
  const okCount = async (tool: string) =>
    (
      await world.database.db
        .select({ id: auditLog.id })
        .from(auditLog)
        .where(and(eq(auditLog.tool, tool), eq(auditLog.outcome, 'ok')))
    ).length;

  /** A refused call that must leave the catalog, the connections and the successful audit records as they were. */
  async function refusedUnchanged(email: string, tool: string, args: Record<string, unknown>) {
    await world.platform.audit.flush();
    const services = await catalogRows();
    const connections = await connectionRows();
    const oks = await okCount(tool);
    const error = await refusalOf(call(email, tool, args));
    await world.platform.audit.flush();
    expect(await catalogRows(), `${tool} ${JSON.stringify(args)}`).to.deep.equal(services);
    expect(await connectionRows(), `${tool} ${JSON.stringify(args)}`).to.deep.equal(connections);
    expect(await okCount(tool), `${tool} ${JSON.stringify(args)}`).to.equal(oks);
    return error;
  }

  describe('management tools refuse clients and partners', () => {
    it('lists none of the six management tools to a client or a partner, but all of them to every staff role', async () => {
      const names = async (email: string) =>
        world.platform.gateway.listTools(await world.as(email)).map((t) => t.name);
      for (const staff of [ROOT, OPS, SUPPORT]) {
        expect(await names(staff), staff).to.include.members([...MANAGEMENT_TOOLS]);
      }
      for (const outsider of [NINA, PAULA]) {
        const listed = await names(outsider);
        for (const tool of MANAGEMENT_TOOLS) expect(listed, `${outsider} ${tool}`).to.not.include(tool);
        // They keep the marketplace: the refusal is about management, not the registry as a whole.
        expect(listed, outsider).to.include.members([...MARKETPLACE_TOOLS]);
      }
    });

    for (const who of [NINA, PAULA]) {
      for (const tool of MANAGEMENT_TOOLS) {
        it(`refuses ${tool} to ${who} as forbidden, writing nothing`, async () => {
          const error = await refusedUnchanged(who, tool, VALID_MANAGEMENT_ARGS[tool]);
          expect(error.code).to.equal('forbidden');
          expect(error.details).to.deep.include({ tool });
          expect(error.message).to.contain(tool);
          expect(
            await world.database.db.$count(registryServices, eq(registryServices.id, 'sneaky-sweep')),
          ).to.equal(0);
        });
      }
    }

    it('refuses before validating: invalid arguments from a client or partner still get forbidden, not bad_request', async () => {
      for (const who of [NINA, PAULA]) {
        const edit = await refusedUnchanged(who, 'registry_update_service', {
          service: 'hubspot',
          colour: 'red',
        });
        expect(edit.code, who).to.equal('forbidden');
        const add = await refusedUnchanged(who, 'registry_add_service', { id: 'Bad Id' });
        expect(add.code, who).to.equal('forbidden');
        const remove = await refusedUnchanged(who, 'registry_remove_service', {});
        expect(remove.code, who).to.equal('forbidden');
      }
    });

    it('audits every one of those refusals with the caller and the forbidden outcome', async () => {
      await world.platform.audit.flush();
      for (const who of [NINA, PAULA]) {
        for (const tool of MANAGEMENT_TOOLS) {
          const records = await world.database.db
            .select({ outcome: auditLog.outcome })
            .from(auditLog)
            .where(and(eq(auditLog.tool, tool), eq(auditLog.userEmail, who)));
          expect(records.length, `${who} ${tool}`).to.be.greaterThan(0);
          expect(new Set(records.map((r) => r.outcome)), `${who} ${tool}`).to.deep.equal(
            new Set(['forbidden']),
          );
        }
      }
      // And the catalog is still the seeded one: nothing featured, hubspot active, no sneaky service.
      const hubspot = (await catalogRows()).find((r) => r.id === 'hubspot');
      expect(hubspot).to.include({
        status: 'active',
        featured: false,
        onboardingVisible: false,
        affiliateUrl: null,
      });
    });
  });

  describe('management tools refuse bad input as bad_request naming the field', () => {
    const updateCases: [string, Record<string, unknown>, string][] = [
      // Unknown fields, including catalog columns that are not editable through this tool.
      ['unknown field', { colour: 'red' }, 'colour'],
      ['category is not editable', { category: 'Search' }, 'category'],
      ['id is not editable', { id: 'hubspot-2' }, 'id'],
      ['newInJanuary2026 is not editable', { newInJanuary2026: true }, 'newInJanuary2026'],
      ['integrated is not editable', { integrated: true }, 'integrated'],
      ['createdBy is not editable', { createdBy: 'usr_x' }, 'createdBy'],
      // Wrong types and out-of-range values.
      ['featured as a string', { featured: 'true' }, 'featured'],
      ['onboardingVisible as a number', { onboardingVisible: 1 }, 'onboardingVisible'],
      ['sortOrder as a string', { sortOrder: '5' }, 'sortOrder'],
      ['sortOrder not an integer', { sortOrder: 1.5 }, 'sortOrder'],
      ['sortOrder too large', { sortOrder: 1_000_001 }, 'sortOrder'],
      ['name as a number', { name: 42 }, 'name'],
      ['blank name', { name: '   ' }, 'name'],
      ['description too long', { description: 'x'.repeat(1001) }, 'description'],
      ['tiers as a string', { tiers: 'pro' }, 'tiers'],
      ['no tiers', { tiers: [] }, 'tiers'],
      ['a tier twice', { tiers: ['pro', 'pro'] }, 'tiers'],
      ['an unknown tier', { tiers: ['pro', 'platinum'] }, 'tiers.1'],
      ['status removed (only through removal)', { status: 'removed' }, 'status'],
      ['an unknown status', { status: 'archived' }, 'status'],
      ['an unknown auth kind', { auth: 'password' }, 'auth'],
      ['a version range', { version: '^1.2.0' }, 'version'],
      ['version latest', { version: 'latest' }, 'version'],
      [
        'a bad npm package name',
        { package: { identifier: 'Not A Package', version: '1.0.0' } },
        'package.identifier',
      ],
      [
        'another package registry',
        { package: { registryType: 'pypi', identifier: 'x', version: '1.0.0' } },
        'package.registryType',
      ],
      // Links must be http(s).
      ['ftp affiliateUrl', { affiliateUrl: 'ftp://files.example/ref' }, 'affiliateUrl'],
      ['mailto affiliateUrl', { affiliateUrl: 'mailto:partners@example.com' }, 'affiliateUrl'],
      ['file affiliateUrl', { affiliateUrl: 'file:///etc/passwd' }, 'affiliateUrl'],
      ['data affiliateUrl', { affiliateUrl: 'data:text/html,<script>alert(1)</script>' }, 'affiliateUrl'],
      ['relative affiliateUrl', { affiliateUrl: '/ref?who=me' }, 'affiliateUrl'],
      ['affiliateUrl as a number', { affiliateUrl: 7 }, 'affiliateUrl'],
      ['affiliateUrl too long', { affiliateUrl: `https://example.com/${'a'.repeat(500)}` }, 'affiliateUrl'],
      ['javascript website', { website: 'javascript:alert(1)' }, 'website'],
      // Connection settings, validated before the admin check matters.
      [
        'an http connection to an ftp url',
        { connection: { transport: 'http', url: 'ftp://mcp.example' } },
        'connection.url',
      ],
      [
        'a stdio connection asking for a shell',
        { connection: { transport: 'stdio', command: 'node', shell: true } },
        'connection.shell',
      ],
      [
        'a stdio connection without a command',
        { connection: { transport: 'stdio', command: ' ' } },
        'connection.command',
      ],
      [
        'a protected credential variable',
        { credentialFields: [{ name: 'LD_PRELOAD' }] },
        'credentialFields.0.name',
      ],
      [
        'a credential field twice',
        { credentialFields: [{ name: 'API_KEY' }, { name: 'API_KEY' }] },
        'credentialFields',
      ],
      ['the service as a number', { service: 7 }, 'service'],
    ];
    for (const [what, patch, field] of updateCases) {
      it(`registry_update_service: ${what} → bad_request on ${field}`, async () => {
        const error = await refusedUnchanged(OPS, 'registry_update_service', {
          service: 'hubspot',
          ...patch,
        });
        expect(error.code).to.equal('bad_request');
        expect(fieldsOf(error)).to.include(field);
      });
    }

    it('registry_update_service: names every bad field at once, and keeps the good ones unapplied', async () => {
      const error = await refusedUnchanged(OPS, 'registry_update_service', {
        service: 'hubspot',
        featured: true,
        sortOrder: -1,
        affiliateUrl: 'ftp://x.example',
        colour: 'red',
      });
      expect(error.code).to.equal('bad_request');
      expect(fieldsOf(error)).to.include.members(['sortOrder', 'affiliateUrl', 'colour']);
      expect(fieldsOf(error)).to.not.include('featured');
    });

    const base = { id: 'sweep-new', name: 'Sweep New', category: 'CRM', vendor: 'Sweep Ltd' };
    const addCases: [string, Record<string, unknown>, string][] = [
      ['unknown field', { ...base, colour: 'red' }, 'colour'],
      ['status is not settable on add', { ...base, status: 'deprecated' }, 'status'],
      ['integrated is not settable', { ...base, integrated: true }, 'integrated'],
      ['newInJanuary2026 is not settable', { ...base, newInJanuary2026: true }, 'newInJanuary2026'],
      ['createdBy is not settable', { ...base, createdBy: 'usr_someone_else' }, 'createdBy'],
      ['an unknown category', { ...base, category: 'Gardening' }, 'category'],
      ['category as a number', { ...base, category: 3 }, 'category'],
      ['no category', { id: base.id, name: base.name, vendor: base.vendor }, 'category'],
      ['no vendor', { id: base.id, name: base.name, category: base.category }, 'vendor'],
      ['blank name', { ...base, name: '' }, 'name'],
      ['featured as a string', { ...base, featured: 'yes' }, 'featured'],
      ['tiers with an unknown tier', { ...base, tiers: ['gold'] }, 'tiers.0'],
      ['a one-letter id', { ...base, id: 'x' }, 'id'],
      ['an id with an underscore (would break <id>_<tool>)', { ...base, id: 'sweep_new' }, 'id'],
      ['an id with capitals', { ...base, id: 'SweepNew' }, 'id'],
      ['an id starting with a digit', { ...base, id: '1sweep' }, 'id'],
      ['an id of 41 characters', { ...base, id: `s${'a'.repeat(40)}` }, 'id'],
      ['a reserved id: billing', { ...base, id: 'billing' }, 'id'],
      ['a reserved id: gateway', { ...base, id: 'gateway' }, 'id'],
      ['a platform server id: crm', { ...base, id: 'crm' }, 'id'],
      ['ftp affiliateUrl', { ...base, affiliateUrl: 'ftp://files.example/ref' }, 'affiliateUrl'],
      ['javascript affiliateUrl', { ...base, affiliateUrl: 'javascript:alert(1)' }, 'affiliateUrl'],
      ['not a url website', { ...base, website: 'sweep dot example' }, 'website'],
      [
        'an http connection to a ws url',
        { ...base, connection: { transport: 'http', url: 'ws://mcp.example' } },
        'connection.url',
      ],
      [
        'an unknown transport',
        { ...base, connection: { transport: 'sse', url: 'https://mcp.example' } },
        'connection.transport',
      ],
      [
        'a protected credential variable',
        { ...base, credentialFields: [{ name: 'NODE_OPTIONS' }] },
        'credentialFields.0.name',
      ],
    ];
    for (const [what, args, field] of addCases) {
      it(`registry_add_service: ${what} → bad_request on ${field}`, async () => {
        const before = await world.database.db.$count(registryServices);
        const error = await refusedUnchanged(OPS, 'registry_add_service', args);
        expect(error.code).to.equal('bad_request');
        expect(fieldsOf(error)).to.include(field);
        expect(await world.database.db.$count(registryServices)).to.equal(before);
        if (typeof args.id === 'string') {
          expect(await world.database.db.$count(registryServices, eq(registryServices.id, args.id))).to.equal(
            0,
          );
        }
      });
    }
  });

  describe('marketplace tools: bad input and tiers', () => {
    let baseline: (typeof registryConnections.$inferSelect)[];
    before(async () => {
      // A connection to keep: bad disconnects must not touch it.
      await call(NINA, 'registry_connect', {
        service: 'mailchimp',
        credentials: { API_KEY: 'mc-sweep-1234' },
      });
      baseline = await connectionRows();
      expect(baseline).to.have.length(1);
    });

    const cases: [string, Record<string, unknown>, string][] = [
      ['registry_marketplace', { category: 'Gardening' }, 'category'],
      ['registry_marketplace', { pageSize: 0 }, 'pageSize'],
      ['registry_marketplace', { pageSize: 101 }, 'pageSize'],
      ['registry_marketplace', { page: 0 }, 'page'],
      ['registry_marketplace', { onboarding: 'yes' }, 'onboarding'],
      ['registry_marketplace', { query: 'x'.repeat(201) }, 'query'],
      ['registry_marketplace', { tier: 'enterprise' }, 'tier'],
      ['registry_marketplace', { status: 'deprecated' }, 'status'],
      ['registry_connect', {}, 'service'],
      ['registry_connect', { service: '   ' }, 'service'],
      ['registry_connect', { service: 42 }, 'service'],
      ['registry_connect', { service: 'x'.repeat(121) }, 'service'],
      ['registry_connect', { service: 'hubspot', credentials: 'hs-key-1234' }, 'credentials'],
      ['registry_connect', { service: 'hubspot', credentials: { API_KEY: 1234 } }, 'credentials.API_KEY'],
      ['registry_connect', { service: 'hubspot', credentials: { API_KEY: '' } }, 'credentials.API_KEY'],
      [
        'registry_connect',
        { service: 'hubspot', credentials: { API_KEY: 'k'.repeat(4097) } },
        'credentials.API_KEY',
      ],
      [
        'registry_connect',
        {
          service: 'hubspot',
          credentials: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`K${i}`, 'v'])),
        },
        'credentials',
      ],
      [
        'registry_connect',
        { service: 'hubspot', credentials: { API_KEY: 'hs-1234' }, tenant: 'acme' },
        'tenant',
      ],
      [
        'registry_connect',
        { service: 'hubspot', credentials: { API_KEY: 'hs-1234', SECRET: 'x' } },
        'credentials.SECRET',
      ],
      ['registry_disconnect', {}, 'service'],
      ['registry_disconnect', { service: ['mailchimp'] }, 'service'],
      ['registry_disconnect', { service: 'mailchimp', tenant: 'acme' }, 'tenant'],
      ['registry_disconnect', { service: 'mailchimp', all: true }, 'all'],
      ['registry_test_connection', {}, 'service'],
      ['registry_test_connection', { service: 'x'.repeat(121) }, 'service'],
      ['registry_test_connection', { service: 'mailchimp', verbose: true }, 'verbose'],
      ['registry_list_connections', { tenant: 'acme' }, 'tenant'],
    ];
    for (const [tool, args, field] of cases) {
      const shown = JSON.stringify(args);
      it(`${tool} ${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown} → bad_request on ${field}`, async () => {
        const error = await refusedUnchanged(NINA, tool, args);
        expect(error.code).to.equal('bad_request');
        expect(fieldsOf(error)).to.include(field);
        expect(await connectionRows()).to.deep.equal(baseline);
      });
    }

    it('refuses connecting a service not offered to the tenant’s tier (forbidden, naming service and tier), storing nothing', async () => {
      await call(OPS, 'registry_update_service', { service: 'zoho-crm', tiers: ['enterprise'] });
      await call(OPS, 'registry_update_service', { service: 'salesforce', tiers: ['pro', 'enterprise'] });
      const refusals: [string, string, string][] = [
        [NINA, 'zoho-crm', 'starter'],
        [NINA, 'Zoho CRM', 'starter'], // by its exact name, too
        [NINA, 'salesforce', 'starter'],
        [CAROL, 'zoho-crm', 'pro'],
        [PAULA, 'zoho-crm', 'pro'],
      ];
      for (const [who, service, tier] of refusals) {
        const error = await refusedUnchanged(who, 'registry_connect', {
          service,
          credentials: { API_KEY: 'tier-key-1234' },
        });
        expect(error.code, `${who} ${service}`).to.equal('forbidden');
        expect(error.details, `${who} ${service}`).to.deep.include({ field: 'service', tier });
        expect(error.message, `${who} ${service}`).to.contain(`(${tier})`);
      }
      expect(await connectionRows()).to.deep.equal(baseline);
      // The marketplace shows each tenant exactly what it may connect.
      const market = async (email: string) =>
        (
          (await call(email, 'registry_marketplace', { category: 'CRM', pageSize: 100 })) as {
            items: { id: string }[];
          }
        ).items.map((s) => s.id);
      expect(await market(NINA)).to.not.include.members(['zoho-crm']);
      expect(await market(NINA)).to.not.include('salesforce');
      expect(await market(CAROL))
        .to.include('salesforce')
        .and.not.include('zoho-crm');
      // The tier rule is the reason: pro may connect what is offered to pro.
      const ok = (await call(CAROL, 'registry_connect', {
        service: 'salesforce',
        credentials: { API_KEY: 'sf-carol-1234' },
      })) as { created: boolean };
      expect(ok.created).to.equal(true);
      const acme = await world.tenantId('acme');
      const rows = await connectionRows();
      expect(rows.filter((r) => r.serviceId === 'salesforce').map((r) => r.tenantId)).to.deep.equal([acme]);
      expect(rows.filter((r) => r.serviceId === 'zoho-crm')).to.deep.equal([]);
    });

    it('lets a tenant rotate credentials of a connection made before its tier lost the service, but not reconnect after disconnecting', async () => {
      await call(OPS, 'registry_update_service', { service: 'salesforce', tiers: ['enterprise'] });
      const rotated = (await call(CAROL, 'registry_connect', {
        service: 'salesforce',
        credentials: { API_KEY: 'sf-carol-5678' },
      })) as { created: boolean; rotated: boolean };
      expect(rotated).to.include({ created: false, rotated: true });
      await call(CAROL, 'registry_disconnect', { service: 'salesforce' });
      const again = await refusedUnchanged(CAROL, 'registry_connect', {
        service: 'salesforce',
        credentials: { API_KEY: 'sf-carol-9012' },
      });
      expect(again.code).to.equal('forbidden');
      expect((await connectionRows()).filter((r) => r.serviceId === 'salesforce')).to.deep.equal([]);
    });
  });

  describe('mount health: a server that keeps failing is left down', () => {
    // The platform's own mount manager uses the production backoff (0.5 s × 2ⁿ, 10 failures: minutes).
    // The manager takes its backoff as options, so this suite assembles a second registry server on
    // the same database with a manager that gives up after three quick failures.
    const MAX_FAILURES = 3;
    let host: ToolHost;
    let mounts: MountManager;
    let gateway: Gateway;
    let workRoot: string;
    before(async () => {
      workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bizosaas-sweep-mounts-'));
      const log = createLogger('silent');
      const credentialsKey = world.platform.keys.key('credentials');
      const contextKey = world.platform.keys.key('call-context');
      host = createToolHost();
      mounts = createMountManager({
        db: world.database.db,
        host,
        credentialsKey,
        log,
        workRoot,
        backoff: { baseMs: 10, maxMs: 40, stableMs: 60_000, maxFailures: MAX_FAILURES },
        connectTimeoutMs: 10_000,
      });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await registryServer({ credentialsKey, mounts, workRoot })
        .create({ db: world.database.db, contextKey, log })
        .connect(serverSide);
      await host.mount('registry', clientSide);
      gateway = createGateway({ host, contextKey, audit: world.platform.audit, log, tenantConcurrency: 4 });
    });
    after(async () => {
      await mounts?.close();
      await host?.close();
      if (workRoot) fs.rmSync(workRoot, { recursive: true, force: true });
    });

    const mini = async (email: string, tool: string, args: Record<string, unknown> = {}) =>
      gateway.callTool(await world.as(email), tool, args);
    const healthOf = async (service: string) => {
      const stats = (await mini(OPS, 'registry_stats')) as { mounted: MountHealth[] };
      return stats.mounted.filter((m) => m.service === service);
    };
    const attempts = async (service: string) => {
      const file = path.join(workRoot, await world.tenantId('northwind'), service, 'attempts.log');
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
    };

    it('a stdio server that exits at once is retried, then shown down in registry_stats after the maximum failures', async () => {
      await call(OPS, 'registry_add_service', {
        id: 'sweep-exits',
        name: 'Sweep Exits',
        category: 'Search',
        vendor: 'Nobody',
        connection: {
          transport: 'stdio',
          command: process.execPath,
          args: [
            '-e',
            "require('fs').appendFileSync('attempts.log', 'x\\n'); console.error('exiting at once'); process.exit(3)",
          ],
        },
      });
      const connected = (await mini(NINA, 'registry_connect', { service: 'sweep-exits' })) as {
        mount: MountHealth;
      };
      expect(connected.mount.state).to.equal('restarting');
      const down = await until('sweep-exits to be down', async () => {
        const [h] = await healthOf('sweep-exits');
        return h?.state === 'down' ? h : undefined;
      });
      expect(down).to.include({
        service: 'sweep-exits',
        tenantId: await world.tenantId('northwind'),
        transport: 'stdio',
        state: 'down',
        tools: 0,
        pid: null,
      });
      expect(down.lastError).to.contain('exiting at once');
      expect(await attempts('sweep-exits')).to.equal(MAX_FAILURES);
      // Down means no more attempts.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await attempts('sweep-exits')).to.equal(MAX_FAILURES);
      expect((await healthOf('sweep-exits'))[0]?.state).to.equal('down');
      // `restarts` is not asserted here: the manager counts only servers that went away after coming
      // up, so a server that never starts shows 0 although it was started MAX_FAILURES times (the
      // attempts above). The next test covers restarts for a server that comes up and crashes.

      // Testing the connection gives it a fresh start (and it fails again, up to the maximum).
      const test = (await mini(NINA, 'registry_test_connection', { service: 'sweep-exits' })) as {
        ok: boolean;
        state: string;
        error: string;
      };
      expect(test.ok).to.equal(false);
      expect(test.state).to.equal('restarting');
      expect(test.error).to.contain('exiting at once');
      await until('sweep-exits to be down again', async () => {
        const [h] = await healthOf('sweep-exits');
        return h?.state === 'down' ? h : undefined;
      });
      expect(await attempts('sweep-exits')).to.equal(2 * MAX_FAILURES);

      await mini(NINA, 'registry_disconnect', { service: 'sweep-exits' });
      expect(await healthOf('sweep-exits')).to.deep.equal([]);
    });

    it('a stdio server that comes up and then crashes is restarted each time, counted in restarts, and left down', async () => {
      const server = [
        "const fs = require('fs'); fs.appendFileSync('attempts.log', 'x\\n');",
        "const send = (m) => process.stdout.write(JSON.stringify(m) + '\\n');",
        "require('readline').createInterface({ input: process.stdin }).on('line', (line) => {",
        '  const m = JSON.parse(line);',
        "  if (m.method === 'initialize') send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'crashy', version: '1.0.0' } } });",
        "  else if (m.method === 'tools/list') { send({ jsonrpc: '2.0', id: m.id, result: { tools: [{ name: 'ping', inputSchema: { type: 'object' } }] } }); setTimeout(() => { console.error('crashing on purpose'); process.exit(4); }, 100); }",
        '});',
      ].join('\n');
      await call(OPS, 'registry_add_service', {
        id: 'sweep-crashes',
        name: 'Sweep Crashes',
        category: 'Search',
        vendor: 'Nobody',
        connection: { transport: 'stdio', command: process.execPath, args: ['-e', server] },
      });
      const connected = (await mini(NINA, 'registry_connect', { service: 'sweep-crashes' })) as {
        mount: MountHealth;
      };
      expect(connected.mount).to.include({ state: 'up', tools: 1, restarts: 0 });
      expect(connected.mount.pid).to.be.a('number');
      const down = await until('sweep-crashes to be down', async () => {
        const [h] = await healthOf('sweep-crashes');
        return h?.state === 'down' ? h : undefined;
      });
      expect(down).to.include({ state: 'down', restarts: MAX_FAILURES, tools: 0, pid: null });
      expect(down.lastError).to.contain('went away').and.contain('crashing on purpose');
      expect(await attempts('sweep-crashes')).to.equal(MAX_FAILURES);
      // Its tools went with it: nina cannot reach them while it is down.
      const listed = gateway.listTools(await world.as(NINA)).map((t) => t.name);
      expect(listed).to.not.include('sweep-crashes_ping');
      await mini(NINA, 'registry_disconnect', { service: 'sweep-crashes' });
      expect(await healthOf('sweep-crashes')).to.deep.equal([]);
    });
  });
});
