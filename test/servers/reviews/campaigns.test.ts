import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { expect } from 'chai';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { defineServer } from '../../../servers/kit/define-server.ts';
import { defineTool, READ_ONLY, writes } from '../../../servers/kit/tool.ts';
import { reviewRequests } from '../../../servers/reviews/schema.ts';
import { refusalOf } from '../../support/refusal.ts';
import { startWorld, type World } from '../../support/world.ts';
import { caller, fieldsOf, footprint, type IngestResult } from './fixtures.ts';

interface CampaignResult {
  campaign: string;
  source: string;
  queued: number;
  skipped: number;
  requests: {
    customerId: string;
    name: string;
    email: string | null;
    status: string;
    reason: string | null;
    requestId: string | null;
  }[];
  notFound: string[];
  truncated: boolean;
  loggedToCrm: number;
}

interface CrmCall {
  tool: string;
  userId: string;
  tenantId: string;
  args: Record<string, unknown>;
}

// Customers that exist only in the stand-in CRM: if the reviews server found them, it asked the CRM.
type Customer = { id: string; name: string; email: string | null };
const CUSTOMERS: Record<string, Customer[]> = {
  northwind: [
    { id: 'cust_01JA0000000000000000000001', name: 'Dana Lee', email: 'dana@example.com' },
    { id: 'cust_01JA0000000000000000000002', name: 'Ed No-Email', email: null },
    { id: 'cust_01JA0000000000000000000003', name: 'Flo Baker', email: 'flo@example.com' },
  ],
  acme: [{ id: 'cust_01JA0000000000000000000004', name: 'Pat Pipe', email: 'pat@example.com' }],
};

/**
 * A tiny `crm` server with the three tools the reviews server uses, over the real MCP transport and
 * the gateway's policy (crm feature, crm.read/crm.write): it records each call and who made it.
 */
function standInCrm(tenantSlugs: Map<string, string>, calls: CrmCall[]) {
  const access = (permission: 'crm.read' | 'crm.write') => ({
    permission,
    feature: 'crm' as const,
    scope: 'tenant' as const,
  });
  const customersOf = (tenantId: string) => CUSTOMERS[tenantSlugs.get(tenantId) ?? ''] ?? [];
  const view = (c: { id: string; name: string; email: string | null }) => ({
    ...c,
    phone: null,
    kind: 'person',
  });
  return defineServer({
    name: 'crm',
    version: '0.0.0',
    tools: [
      defineTool({
        name: 'list_customers',
        title: 'List customers',
        description: 'stand-in',
        input: z.strictObject({
          query: z.string().optional(),
          page: z.number().int().default(1),
          pageSize: z.number().int().default(25),
        }),
        access: access('crm.read'),
        annotations: READ_ONLY,
        handler: async (args, call) => {
          calls.push({ tool: 'list_customers', userId: call.ctx.userId, tenantId: call.ctx.tenantId, args });
          const q = args.query?.toLowerCase() ?? '';
          const all = customersOf(call.ctx.tenantId).filter(
            (c) => !q || c.name.toLowerCase().includes(q) || c.email?.includes(q),
          );
          const items = all.slice((args.page - 1) * args.pageSize, args.page * args.pageSize).map(view);
          return { items, total: all.length };
        },
      }),
      defineTool({
        name: 'get_customer',
        title: 'Get a customer',
        description: 'stand-in',
        input: z.strictObject({ customer: z.string() }),
        access: access('crm.read'),
        annotations: READ_ONLY,
        handler: async (args, call) => {
          calls.push({ tool: 'get_customer', userId: call.ctx.userId, tenantId: call.ctx.tenantId, args });
          const customer = customersOf(call.ctx.tenantId).find((c) => c.id === args.customer);
          if (!customer)
            throw new AppError('not_found', `No customer ${args.customer}.`, { field: 'customer' });
          return { customer: view(customer) };
        },
      }),
      defineTool({
        name: 'log_interaction',
        title: 'Log an interaction',
        description: 'stand-in',
        input: z.strictObject({
          customer: z.string(),
          kind: z.literal('review'),
          summary: z.string(),
          occurredAt: z.string().optional(),
          data: z.record(z.string(), z.unknown()).optional(),
        }),
        access: access('crm.write'),
        annotations: writes(),
        handler: async (args, call) => {
          calls.push({ tool: 'log_interaction', userId: call.ctx.userId, tenantId: call.ctx.tenantId, args });
          return { interaction: { id: 'int_stand_in' } };
        },
      }),
    ],
  });
}

describe('Reviews: review-request campaigns to CRM customers, across servers', () => {
  let world: World;
  let call: ReturnType<typeof caller>;
  const crmCalls: CrmCall[] = [];
  const nina = 'nina@northwind.test';
  const [dana, ed, flo] = CUSTOMERS.northwind as [Customer, Customer, Customer];
  const campaign = (email: string, args: Record<string, unknown>) =>
    call<CampaignResult>(email, 'reviews_request_campaign', args);
  const callsOf = (tool: string) => crmCalls.filter((c) => c.tool === tool);

  before(async () => {
    world = await startWorld();
    call = caller(world);
    const slugs = new Map<string, string>();
    for (const slug of ['northwind', 'acme']) slugs.set(await world.tenantId(slug), slug);
    // The stand-in takes the real CRM's place, whatever state the real one is in.
    await world.platform.gateway.host.unmount('crm');
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await standInCrm(slugs, crmCalls)
      .create({
        db: world.database.db,
        contextKey: world.platform.keys.key('call-context'),
        log: world.platform.log,
      })
      .connect(serverSide);
    await world.platform.gateway.host.mount('crm', clientSide);
  });
  after(() => world.close());
  beforeEach(() => {
    crmCalls.length = 0;
  });

  it('queues a request per customer with an email and skips one without, giving the reason', async () => {
    const result = await campaign(nina, { campaign: 'spring', customers: [dana.id, ed.id] });
    expect(result).to.deep.include({
      campaign: 'spring',
      source: 'google',
      queued: 1,
      skipped: 1,
      notFound: [],
    });
    expect(result.requests.map(({ requestId: _, ...r }) => r)).to.deep.equal([
      { customerId: dana.id, name: 'Dana Lee', email: 'dana@example.com', status: 'queued', reason: null },
      { customerId: ed.id, name: 'Ed No-Email', email: null, status: 'skipped', reason: 'no email address' },
    ]);
    const rows = await world.database.db
      .select()
      .from(reviewRequests)
      .where(eq(reviewRequests.campaign, 'spring'))
      .orderBy(asc(reviewRequests.name));
    expect(rows.map((r) => [r.customerId, r.status, r.reason, r.source])).to.deep.equal([
      [dana.id, 'queued', null, 'google'],
      [ed.id, 'skipped', 'no email address', 'google'],
    ]);
    expect(rows.every((r) => r.tenantId === rows[0]?.tenantId && r.createdBy.startsWith('usr_'))).to.equal(
      true,
    );
  });

  it('found the customers by calling the CRM’s tools through the gateway, as the same person', async () => {
    await campaign(nina, { campaign: 'spring-2', customers: [dana.id] });
    const ninaId = await world.userId(nina);
    const northwind = await world.tenantId('northwind');
    expect(callsOf('get_customer').map((c) => c.args)).to.deep.equal([{ customer: dana.id }]);
    expect(crmCalls.every((c) => c.userId === ninaId && c.tenantId === northwind)).to.equal(true);
  });

  it('notes each request on the customer’s CRM timeline as a review interaction', async () => {
    const result = await campaign(nina, { campaign: 'timeline', customers: [flo.id], source: 'yelp' });
    expect(result.loggedToCrm).to.equal(1);
    const [logged] = callsOf('log_interaction');
    expect(logged?.args).to.deep.equal({
      customer: flo.id,
      kind: 'review',
      summary: 'Asked to review us on Yelp (campaign “timeline”)',
      data: { reviewRequestId: result.requests[0]?.requestId, campaign: 'timeline', source: 'yelp' },
    });
  });

  it('finds customers by a CRM search', async () => {
    const result = await campaign(nina, { campaign: 'search', query: 'flo' });
    expect(callsOf('list_customers').map((c) => c.args)).to.deep.equal([
      { query: 'flo', page: 1, pageSize: 100 },
    ]);
    expect(result.requests.map((r) => [r.customerId, r.status])).to.deep.equal([[flo.id, 'queued']]);
  });

  it('asks all customers when given neither ids nor a search, and nobody twice in one campaign', async () => {
    const first = await campaign(nina, { campaign: 'everyone' });
    expect(first).to.include({ queued: 2, skipped: 1 });
    const before = await footprint(world);
    const again = await campaign(nina, { campaign: 'everyone' });
    expect(again).to.include({ queued: 0, skipped: 3, loggedToCrm: 0 });
    expect(again.requests.map((r) => r.reason)).to.deep.equal([
      'already asked in this campaign',
      'no email address',
      'already asked in this campaign',
    ]);
    expect((await footprint(world)).requests).to.equal(before.requests);
  });

  it('reports customer ids the CRM does not know, and another organisation’s customers as unknown', async () => {
    const acmeCustomer = CUSTOMERS.acme?.[0]?.id as string;
    const result = await campaign(nina, {
      campaign: 'unknowns',
      customers: ['cust_01JA0000000000000000000099', acmeCustomer],
    });
    expect(result).to.include({ queued: 0, skipped: 0 });
    expect(result.notFound).to.deep.equal(['cust_01JA0000000000000000000099', acmeCustomer]);
  });

  it('links a review to the customer with the reviewer’s email and puts it on their timeline', async () => {
    const result = await call<IngestResult>(nina, 'reviews_ingest', {
      source: 'google',
      externalId: 'from-dana',
      reviewer: 'Dana Lee',
      reviewerEmail: 'Dana@Example.com',
      rating: 5,
      comment: 'Best bread in town.',
      createTime: '2026-05-01T10:00:00Z',
    });
    expect(result.review.customerId).to.equal(dana.id);
    expect(result.loggedToCrm).to.equal(true);
    expect(callsOf('log_interaction').map((c) => c.args)).to.deep.equal([
      {
        customer: dana.id,
        kind: 'review',
        summary: 'Left a 5-star review on google: “Best bread in town.”',
        occurredAt: '2026-05-01T10:00:00.000Z',
        data: { reviewId: result.review.id, source: 'google', rating: 5 },
      },
    ]);
  });

  it('refuses a campaign when the CRM refuses the person, writing nothing; a review still arrives unlinked', async () => {
    await call('ops@bizosaas.test', 'users_set_features', {
      user: 'carol@acme.test',
      features: { crm: false },
    });
    const before = await footprint(world);
    const error = await refusalOf(campaign('carol@acme.test', { campaign: 'no-crm' }));
    expect(error.code).to.equal('forbidden');
    expect(error.message).to.contain('crm');
    expect(await footprint(world)).to.deep.equal(before);
    const review = await call<IngestResult>('carol@acme.test', 'reviews_ingest', {
      source: 'google',
      externalId: 'pat-1',
      reviewer: 'Pat Pipe',
      reviewerEmail: 'pat@example.com',
      rating: 4,
    });
    expect(review.review.customerId).to.equal(null);
    expect(review.loggedToCrm).to.equal(false);
    await call('ops@bizosaas.test', 'users_set_features', {
      user: 'carol@acme.test',
      features: { crm: true },
    });
  });

  it('refuses both customers and a search, or a malformed customer id, naming the field', async () => {
    const before = await footprint(world);
    const both = await refusalOf(campaign(nina, { campaign: 'x', customers: [dana.id], query: 'dana' }));
    expect(both.code).to.equal('bad_request');
    expect(fieldsOf(both)[0]).to.equal('query');
    const malformed = await refusalOf(campaign(nina, { campaign: 'x', customers: ['dana'] }));
    expect(fieldsOf(malformed)[0]).to.equal('customers.0');
    expect(await footprint(world)).to.deep.equal(before);
    expect(crmCalls).to.deep.equal([]);
  });

  it('is destructive, so an agent needs the person’s approval before customers are contacted', async () => {
    const tools = world.platform.gateway.listTools(await world.as(nina));
    expect(tools.find((t) => t.name === 'reviews_request_campaign')?.annotations).to.include({
      destructiveHint: true,
    });
  });
});

describe('Reviews: a campaign against the real CRM server', () => {
  let world: World;
  let call: ReturnType<typeof caller>;

  before(async () => {
    world = await startWorld();
    call = caller(world);
  });
  after(() => world.close());

  it('asks customers created in the CRM and notes the request on their timeline', async function () {
    if (!world.platform.gateway.host.tool('crm_create_customer')) this.skip();
    const nina = 'nina@northwind.test';
    const made = await call<{ customer: { id: string } }>(nina, 'crm_create_customer', {
      name: 'Gina Grain',
      email: 'gina@example.com',
    });
    await call(nina, 'crm_create_customer', { name: 'Hal No-Mail' });
    const result = await call<CampaignResult>(nina, 'reviews_request_campaign', { campaign: 'real' });
    expect(result.requests.map((r) => [r.name, r.status]).sort()).to.deep.equal([
      ['Gina Grain', 'queued'],
      ['Hal No-Mail', 'skipped'],
    ]);
    expect(result.loggedToCrm).to.equal(1);
    const timeline = await call<{
      items: { kind: string; summary: string; data: Record<string, unknown> }[];
    }>(nina, 'crm_timeline', { customer: made.customer.id });
    const entry = timeline.items.find((i) => i.kind === 'review');
    expect(entry?.summary).to.equal('Asked to review us on Google (campaign “real”)');
    expect(entry?.data).to.include({ campaign: 'real', source: 'google' });
  });
});
