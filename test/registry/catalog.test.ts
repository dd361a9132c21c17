import fs from 'node:fs';
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { createLogger } from '../../core/logger.ts';
import { createPlatform } from '../../gateway/platform.ts';
import { seedCatalog } from '../../registry/catalog.ts';
import { registryServices } from '../../registry/schema.ts';
import { startWorld, type World } from '../support/world.ts';

// The data file the platform loads (a copy of ../shared/registry/catalog.json, read here as plain JSON).
const sharedCatalog = JSON.parse(
  fs.readFileSync(new URL('../../registry/catalog.json', import.meta.url), 'utf8'),
) as { categories: string[]; services: { id: string; category: string; newInJanuary2026: boolean }[] };

/** Counts by category computed from the data file itself (its note: the prose's 76 is not what it lists). */
function expectedCounts() {
  const counts = new Map<string, number>();
  for (const s of sharedCatalog.services) counts.set(s.category, (counts.get(s.category) ?? 0) + 1);
  return counts;
}

describe('registry: the catalog', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  it('holds the shared seed’s catalog file unchanged, when the shared folder is beside the repository', function () {
    const shared = new URL('../../../shared/registry/catalog.json', import.meta.url);
    if (!fs.existsSync(shared)) return this.skip();
    expect(JSON.parse(fs.readFileSync(shared, 'utf8'))).to.deep.equal(sharedCatalog);
  });

  it('loads every service of the data file at first start, with counts by category computed from the data', async () => {
    const ops = await world.as('ops@bizosaas.test');
    const stats = (await world.platform.gateway.callTool(ops, 'registry_stats', {})) as {
      totals: { services: number; categories: number; active: number; newInJanuary2026: number };
      byCategory: { category: string; services: number; newInJanuary2026: number }[];
    };
    const counts = expectedCounts();
    expect(stats.totals.services).to.equal(sharedCatalog.services.length).and.equal(75);
    expect(stats.totals.categories).to.equal(sharedCatalog.categories.length).and.equal(12);
    expect(stats.totals.active).to.equal(75);
    expect(stats.totals.newInJanuary2026).to.equal(
      sharedCatalog.services.filter((s) => s.newInJanuary2026).length,
    );
    expect(stats.byCategory.map((c) => c.category)).to.deep.equal(sharedCatalog.categories);
    for (const c of stats.byCategory) expect(c.services, c.category).to.equal(counts.get(c.category));
  });

  it('keeps each entry’s fields: id, name, category, vendor, January 2026 flag, and the defaults', async () => {
    const rows = await world.database.db.select().from(registryServices);
    expect(rows.map((r) => r.id).sort()).to.deep.equal(sharedCatalog.services.map((s) => s.id).sort());
    const zoho = rows.find((r) => r.id === 'zoho-crm');
    expect(zoho).to.include({
      name: 'Zoho CRM',
      category: 'CRM',
      vendor: 'Zoho',
      newInJanuary2026: true,
      status: 'active',
      featured: false,
      onboardingVisible: false,
      auth: 'api_key',
      connection: null,
    });
    expect(zoho?.tiers).to.deep.equal(['starter', 'pro', 'enterprise']);
    expect(rows.find((r) => r.id === 'stripe')?.integrated).to.equal(true);
    // The file's order is kept within a category.
    const crm = rows.filter((r) => r.category === 'CRM').sort((a, b) => a.sortOrder - b.sortOrder);
    expect(crm.map((r) => r.id)).to.deep.equal(
      sharedCatalog.services.filter((s) => s.category === 'CRM').map((s) => s.id),
    );
  });

  it('loads idempotently: existing services are never overwritten, so edits survive restarts', async () => {
    const ops = await world.as('ops@bizosaas.test');
    await world.platform.gateway.callTool(ops, 'registry_update_service', {
      service: 'HubSpot',
      vendor: 'HubSpot Inc.',
      affiliateUrl: 'https://hubspot.example/partner?ref=bizosaas',
    });
    await world.platform.gateway.callTool(ops, 'registry_remove_service', { service: 'wix' });
    expect(await seedCatalog(world.database.db)).to.deep.equal({ inserted: 0 });
    // A second platform on the same database (a restart) loads the catalog again.
    const again = await createPlatform(world.platform.config, {
      database: world.database,
      log: createLogger('silent'),
    });
    await again.close();
    const [hubspot] = await world.database.db
      .select()
      .from(registryServices)
      .where(eq(registryServices.id, 'hubspot'));
    expect(hubspot).to.include({
      vendor: 'HubSpot Inc.',
      affiliateUrl: 'https://hubspot.example/partner?ref=bizosaas',
    });
    const [wix] = await world.database.db
      .select()
      .from(registryServices)
      .where(eq(registryServices.id, 'wix'));
    expect(wix?.status).to.equal('removed');
    expect(await world.database.db.$count(registryServices)).to.equal(75);
  });

  it('inserts services the file has and the database lacks', async () => {
    await world.database.db.delete(registryServices).where(eq(registryServices.id, 'zapier'));
    expect(await seedCatalog(world.database.db)).to.deep.equal({ inserted: 1 });
    const [zapier] = await world.database.db
      .select()
      .from(registryServices)
      .where(eq(registryServices.id, 'zapier'));
    expect(zapier).to.include({ name: 'Zapier', category: 'Utilities/Project Management' });
  });
});
