import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../core/audit/schema.ts';
import { registryServices } from '../../registry/schema.ts';
import { refusalOf } from '../support/refusal.ts';
import { startWorld, type World } from '../support/world.ts';

interface Service {
  id: string;
  name: string;
  category: string;
  vendor: string;
  status: string;
  featured: boolean;
  onboardingVisible: boolean;
  affiliateUrl: string | null;
  tiers: string[];
  sortOrder: number;
}

const OPS = 'ops@bizosaas.test';
const ROOT = 'root@bizosaas.test';
const SUPPORT = 'support@bizosaas.test'; // sub-admin: CRM and Email Marketing
const PAULA = 'paula@brightpath.test'; // partner
const NINA = 'nina@northwind.test'; // client

describe('registry: catalog management tools', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  const call: World['call'] = (email, tool, args) => world.call(email, tool, args);
  const row = async (id: string) =>
    (await world.database.db.select().from(registryServices).where(eq(registryServices.id, id)))[0];
  const okRecords = async (tool: string) =>
    world.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tool, tool), eq(auditLog.outcome, 'ok')));

  /** Runs a refused call and checks it wrote nothing: same catalog row, no new successful audit record. */
  async function refusedUnchanged(email: string, tool: string, args: Record<string, unknown>, id?: string) {
    const before = id ? await row(id) : undefined;
    const recordsBefore = (await okRecords(tool)).length;
    const servicesBefore = await world.database.db.$count(registryServices);
    const error = await refusalOf(call(email, tool, args));
    if (id) expect(await row(id)).to.deep.equal(before);
    expect((await okRecords(tool)).length).to.equal(recordsBefore);
    expect(await world.database.db.$count(registryServices)).to.equal(servicesBefore);
    return error;
  }

  it('offers the management tools to staff only, and refuses clients and partners on call too', async () => {
    const names = (email: string) =>
      world.as(email).then((p) => world.platform.gateway.listTools(p).map((t) => t.name));
    const manage = [
      'registry_stats',
      'registry_search_services',
      'registry_get_service',
      'registry_update_service',
      'registry_add_service',
      'registry_remove_service',
    ];
    for (const staff of [ROOT, OPS, SUPPORT]) expect(await names(staff), staff).to.include.members(manage);
    for (const other of [PAULA, NINA]) {
      const tools = await names(other);
      for (const tool of manage) expect(tools, other).to.not.include(tool);
      expect(tools, other).to.include.members(['registry_marketplace', 'registry_connect']);
    }
    for (const other of [PAULA, NINA]) {
      expect((await refusedUnchanged(other, 'registry_stats', {})).code).to.equal('forbidden');
      const edit = await refusedUnchanged(
        other,
        'registry_update_service',
        { service: 'hubspot', featured: true },
        'hubspot',
      );
      expect(edit.code).to.equal('forbidden');
      expect(
        (await refusedUnchanged(other, 'registry_remove_service', { service: 'hubspot' }, 'hubspot')).code,
      ).to.equal('forbidden');
      expect(
        (
          await refusedUnchanged(other, 'registry_add_service', {
            id: 'sneaky',
            name: 'Sneaky',
            category: 'CRM',
            vendor: 'Me',
          })
        ).code,
      ).to.equal('forbidden');
    }
    // Refusals are audited by the gateway.
    await world.platform.audit.flush();
    const refused = await world.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tool, 'registry_update_service'), eq(auditLog.outcome, 'forbidden')));
    expect(refused.map((r) => r.userEmail)).to.include.members([PAULA, NINA]);
  });

  it('searches by text, category, status, featured, tier, and pages the results', async () => {
    const search = async (args: Record<string, unknown>) =>
      (await call(OPS, 'registry_search_services', args)) as { items: Service[]; total: number };
    const crm = await search({ category: 'CRM' });
    expect(crm.total).to.equal(6);
    expect(crm.items.map((s) => s.id)).to.deep.equal([
      'fluentcrm',
      'hubspot',
      'zoho-crm',
      'bitrix24',
      'salesforce',
      'pipedrive',
    ]);
    const zoho = await search({ query: 'zoho', pageSize: 100 });
    expect(zoho.items.every((s) => s.name.toLowerCase().includes('zoho') || s.vendor === 'Zoho')).to.equal(
      true,
    );
    expect(zoho.total).to.equal(zoho.items.length).and.be.greaterThan(10);
    const page1 = await search({ pageSize: 10 });
    const page2 = await search({ pageSize: 10, page: 2 });
    expect(page1.total).to.equal(75);
    expect(page1.items).to.have.length(10);
    expect(page1.items[0]?.id).to.equal('woocommerce');
    expect(page2.items.map((s) => s.id)).to.not.include.members(page1.items.map((s) => s.id));
    expect((await search({ status: 'deprecated' })).total).to.equal(0);
    expect((await search({ featured: true })).total).to.equal(0);
    expect((await search({ tier: 'starter' })).total).to.equal(75);
    // Sub-admins may read the whole catalog.
    expect(
      ((await call(SUPPORT, 'registry_search_services', { category: 'Hosting' })) as { total: number }).total,
    ).to.equal(9);
  });

  it('gets a service by id or by its exact name in any case', async () => {
    for (const ref of ['hubspot', 'HubSpot', 'HUBSPOT', ' hubspot ']) {
      const { service } = (await call(OPS, 'registry_get_service', { service: ref })) as { service: Service };
      expect(service.id, ref).to.equal('hubspot');
    }
    const { service } = (await call(OPS, 'registry_get_service', { service: 'zoho crm' })) as {
      service: Service;
    };
    expect(service.id).to.equal('zoho-crm');
    const missing = await refusalOf(call(OPS, 'registry_get_service', { service: 'hub' }));
    expect(missing.code).to.equal('not_found');
    expect(missing.details).to.deep.include({ field: 'service' });
  });

  it('runs the admin commands "feature HubSpot in client onboarding" and "deprecate Cloudways", audited as the staff member', async () => {
    const featured = (await call(OPS, 'registry_update_service', {
      service: 'hubspot',
      featured: true,
      onboardingVisible: true,
    })) as { service: Service; changed: string[] };
    expect(featured.service).to.include({ id: 'hubspot', featured: true, onboardingVisible: true });
    expect(featured.changed).to.have.members(['featured', 'onboardingVisible']);
    const deprecated = (await call(OPS, 'registry_update_service', {
      service: 'cloudways',
      status: 'deprecated',
    })) as { service: Service };
    expect(deprecated.service.status).to.equal('deprecated');
    expect((await row('cloudways'))?.statusChangedAt).to.be.instanceOf(Date);

    const records = await okRecords('registry_update_service');
    const hubspot = records.find((r) => r.target === 'hubspot');
    expect(hubspot).to.include({ userEmail: OPS, userId: await world.userId(OPS), via: 'session' });
    expect(hubspot?.args).to.deep.include({ featured: true, onboardingVisible: true });
    expect(records.find((r) => r.target === 'cloudways')?.args).to.deep.include({ status: 'deprecated' });

    const stats = (await call(OPS, 'registry_stats')) as {
      totals: { featured: number; onboardingVisible: number; deprecated: number; active: number };
      byCategory: { category: string; featured: number }[];
    };
    expect(stats.totals).to.include({ featured: 1, onboardingVisible: 1, deprecated: 1, active: 74 });
    expect(stats.byCategory.find((c) => c.category === 'CRM')?.featured).to.equal(1);
  });

  it('edits affiliate links, vendor, description, sort order and tiers, changing only what is named', async () => {
    const { service, changed } = (await call(OPS, 'registry_update_service', {
      service: 'Shopify',
      affiliateUrl: 'https://shopify.example/affiliates?ref=bizosaas',
      vendor: 'Shopify Inc.',
      description: 'Online stores: products, orders and customers.',
      sortOrder: 5,
      tiers: ['pro', 'enterprise'],
      name: 'Shopify',
    })) as { service: Service; changed: string[] };
    expect(service).to.include({
      affiliateUrl: 'https://shopify.example/affiliates?ref=bizosaas',
      vendor: 'Shopify Inc.',
      sortOrder: 5,
    });
    expect(service.tiers).to.deep.equal(['pro', 'enterprise']);
    expect(changed).to.have.members(['affiliateUrl', 'vendor', 'description', 'sortOrder', 'tiers']);
    const cleared = (await call(OPS, 'registry_update_service', {
      service: 'shopify',
      affiliateUrl: null,
    })) as {
      service: Service;
    };
    expect(cleared.service.affiliateUrl).to.equal(null);
  });

  it('lets a sub-admin manage their categories only: HubSpot (CRM) yes, Shopify (E-commerce) forbidden', async () => {
    const ok = (await call(SUPPORT, 'registry_update_service', {
      service: 'hubspot',
      affiliateUrl: 'https://hubspot.example/p/support',
    })) as { service: Service };
    expect(ok.service.affiliateUrl).to.equal('https://hubspot.example/p/support');
    const record = (await okRecords('registry_update_service')).find(
      (r) => r.userEmail === SUPPORT && r.target === 'hubspot',
    );
    expect(record).to.not.equal(undefined);

    const other = await refusedUnchanged(
      SUPPORT,
      'registry_update_service',
      { service: 'shopify', featured: true },
      'shopify',
    );
    expect(other.code).to.equal('forbidden');
    expect(other.message).to.contain('E-commerce');
    expect(
      (await refusedUnchanged(SUPPORT, 'registry_remove_service', { service: 'Cloudways' }, 'cloudways'))
        .code,
    ).to.equal('forbidden');
    expect(
      (
        await refusedUnchanged(SUPPORT, 'registry_add_service', {
          id: 'shop-two',
          name: 'Shop Two',
          category: 'E-commerce',
          vendor: 'Two',
        })
      ).code,
    ).to.equal('forbidden');
    // Connection settings decide what runs on the platform's machine: admins only, even in scope.
    const runs = await refusedUnchanged(
      SUPPORT,
      'registry_update_service',
      { service: 'hubspot', connection: { transport: 'http', url: 'https://mcp.hubspot.example/mcp' } },
      'hubspot',
    );
    expect(runs.code).to.equal('forbidden');
    expect(runs.details).to.deep.include({ field: 'connection' });
    const added = (await call(SUPPORT, 'registry_add_service', {
      id: 'close-crm',
      name: 'Close',
      category: 'CRM',
      vendor: 'Close',
    })) as { service: Service };
    expect(added.service).to.include({ id: 'close-crm', status: 'active', category: 'CRM' });
  });

  it('refuses bad input as bad_request naming the field, and writes nothing', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['registry_update_service', { service: 'hubspot', featured: 'yes' }, 'featured'],
      ['registry_update_service', { service: 'hubspot', status: 'removed' }, 'status'],
      ['registry_update_service', { service: 'hubspot', affiliateUrl: 'not a link' }, 'affiliateUrl'],
      [
        'registry_update_service',
        { service: 'hubspot', affiliateUrl: 'javascript:alert(1)' },
        'affiliateUrl',
      ],
      ['registry_update_service', { service: 'hubspot', tiers: ['gold'] }, 'tiers.0'],
      ['registry_update_service', { service: 'hubspot', sortOrder: -1 }, 'sortOrder'],
      ['registry_update_service', { service: 'hubspot', colour: 'red' }, 'colour'],
      ['registry_update_service', { service: 'hubspot' }, 'service'],
      [
        'registry_update_service',
        { service: 'hubspot', connection: { transport: 'ftp' } },
        'connection.transport',
      ],
      [
        'registry_update_service',
        { service: 'hubspot', credentialFields: [{ name: 'NODE_OPTIONS' }] },
        'credentialFields.0.name',
      ],
      ['registry_add_service', { id: 'Bad Id', name: 'X', category: 'CRM', vendor: 'X' }, 'id'],
      ['registry_add_service', { id: 'users', name: 'Users clone', category: 'CRM', vendor: 'X' }, 'id'],
      [
        'registry_add_service',
        { id: 'registry', name: 'Registry clone', category: 'CRM', vendor: 'X' },
        'id',
      ],
      [
        'registry_add_service',
        { id: 'new-one', name: 'New', category: 'Gardening', vendor: 'X' },
        'category',
      ],
      ['registry_add_service', { id: 'new-one', category: 'CRM', vendor: 'X' }, 'name'],
      ['registry_search_services', { status: 'gone' }, 'status'],
    ];
    for (const [tool, args, field] of cases) {
      const error = await refusedUnchanged(OPS, tool, args, 'hubspot');
      expect(error.code, JSON.stringify(args)).to.equal('bad_request');
      const fields = (error.details?.fields as { field: string }[] | undefined)?.map((f) => f.field);
      expect(fields, JSON.stringify(args)).to.include(field);
    }
  });

  it('adds a service (active, counted, searchable) and refuses an id or name already used', async () => {
    const { service } = (await call(OPS, 'registry_add_service', {
      id: 'acme-widgets',
      name: 'Acme Widgets',
      category: 'Utilities/Project Management',
      vendor: 'Acme',
      description: 'Widgets for everyone.',
      connection: { transport: 'http', url: 'https://widgets.example/mcp' },
      auth: 'api_key',
      credentialFields: [{ name: 'WIDGETS_TOKEN', label: 'Widgets token' }],
    })) as { service: Service & { connection: unknown; credentialFields: unknown[] } };
    expect(service).to.include({ id: 'acme-widgets', status: 'active', vendor: 'Acme' });
    expect(service.connection).to.deep.equal({ transport: 'http', url: 'https://widgets.example/mcp' });
    expect(service.credentialFields).to.deep.equal([
      { name: 'WIDGETS_TOKEN', label: 'Widgets token', required: true, secret: true },
    ]);
    const [record] = (await okRecords('registry_add_service')).filter((r) => r.target === 'acme-widgets');
    expect(record?.userEmail).to.equal(OPS);
    const found = (await call(OPS, 'registry_search_services', { query: 'widgets' })) as { items: Service[] };
    expect(found.items.map((s) => s.id)).to.deep.equal(['acme-widgets']);
    const conflictId = await refusedUnchanged(OPS, 'registry_add_service', {
      id: 'hubspot',
      name: 'Another HubSpot',
      category: 'CRM',
      vendor: 'X',
    });
    expect(conflictId.code).to.equal('conflict');
    expect(conflictId.details).to.deep.include({ field: 'id' });
    const conflictName = await refusedUnchanged(OPS, 'registry_add_service', {
      id: 'hubspot-two',
      name: 'hubspot',
      category: 'CRM',
      vendor: 'X',
    });
    expect(conflictName.code).to.equal('conflict');
    expect(conflictName.details).to.deep.include({ field: 'name' });
  });

  it('removes a service: gone from search, the marketplace and the counts, tenants disconnected', async () => {
    await call(NINA, 'registry_connect', { service: 'pipedrive', credentials: { API_KEY: 'pd-nina-1234' } });
    await call('carol@acme.test', 'registry_connect', {
      service: 'pipedrive',
      credentials: { API_KEY: 'pd-carol-1234' },
    });
    // The sub-admin's tenant scope is northwind and acme; yuki's zen lies outside it.
    await call('yuki@zen.test', 'registry_connect', {
      service: 'pipedrive',
      credentials: { API_KEY: 'pd-yuki-1234' },
    });
    const before = (await call(OPS, 'registry_stats')) as { totals: { services: number; removed: number } };
    const removed = (await call(SUPPORT, 'registry_remove_service', { service: 'Pipedrive' })) as {
      service: Service;
      disconnected: number;
    };
    expect(removed.service.status).to.equal('removed');
    expect(removed.disconnected).to.equal(3);
    const after = (await call(OPS, 'registry_stats')) as { totals: { services: number; removed: number } };
    expect(after.totals.services).to.equal(before.totals.services - 1);
    expect(after.totals.removed).to.equal(before.totals.removed + 1);
    const search = (await call(OPS, 'registry_search_services', { category: 'CRM' })) as { items: Service[] };
    expect(search.items.map((s) => s.id)).to.not.include('pipedrive');
    const onlyRemoved = (await call(OPS, 'registry_search_services', { status: 'removed' })) as {
      items: Service[];
    };
    expect(onlyRemoved.items.map((s) => s.id)).to.include('pipedrive');
    for (const email of [NINA, 'yuki@zen.test']) {
      const mine = (await call(email, 'registry_list_connections')) as { items: unknown[] };
      expect(mine.items, email).to.deep.equal([]);
      const market = (await call(email, 'registry_marketplace', { category: 'CRM' })) as { items: Service[] };
      expect(market.items.map((s) => s.id)).to.not.include('pipedrive');
      expect((await refusalOf(call(email, 'registry_connect', { service: 'pipedrive' }))).code).to.equal(
        'not_found',
      );
    }
    const [record] = (await okRecords('registry_remove_service')).filter((r) => r.target === 'pipedrive');
    expect(record?.userEmail).to.equal(SUPPORT);
    // Staff can bring it back; tenants connect again.
    const restored = (await call(OPS, 'registry_update_service', {
      service: 'pipedrive',
      status: 'active',
    })) as {
      service: Service;
    };
    expect(restored.service.status).to.equal('active');
  });
});
