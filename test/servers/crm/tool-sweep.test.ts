import { expect } from 'chai';
import { and, asc, count, eq, like } from 'drizzle-orm';
import { auditLog } from '../../../core/audit/schema.ts';
import { domainEvents } from '../../../core/events/schema.ts';
import { customers, interactions, leads } from '../../../servers/crm/schema.ts';
import { refusalOf } from '../../support/refusal.ts';
import { scriptedModel } from '../../support/scripted-model.ts';
import { startWorld, type World } from '../../support/world.ts';

interface Lead {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  source: string | null;
  notes: string | null;
  customFields: Record<string, string | number | boolean>;
  stage: string;
  ownerId: string | null;
  score: number;
  scoreSignals: { signal: string; points: number }[];
  customerId: string | null;
  tenantId: string;
  createdAt: string;
  updatedAt: string;
}

/** The records one tenant's CRM tools can point at: a lead, a won lead, a customer and a task. */
interface Refs {
  lead: string;
  wonLead: string;
  customer: string;
  task: string;
}

const NINA = 'nina@northwind.test';
const BOB = 'bob@northwind.test';
const CAROL = 'carol@acme.test';
const OPS = 'ops@bizosaas.test';

/** Arguments each CRM tool accepts (every required field, nothing more), pointing at `refs`. */
const validArgs = (refs: Refs): Record<string, Record<string, unknown>> => ({
  crm_assign_lead: { lead: refs.lead, owner: BOB },
  crm_complete_task: { task: refs.task },
  crm_convert_lead: { lead: refs.wonLead },
  crm_create_customer: { name: 'Sweep Co' },
  crm_create_lead: { name: 'Sweep Lead' },
  crm_export_leads: {},
  crm_get_customer: { customer: refs.customer },
  crm_get_lead: { lead: refs.lead },
  crm_import_leads: { csv: 'name\nSweep Import' },
  crm_list_customers: {},
  crm_list_leads: {},
  crm_log_interaction: { customer: refs.customer, kind: 'note', summary: 'Sweep note' },
  crm_timeline: { customer: refs.customer },
  crm_update_lead: { lead: refs.lead, name: 'Sweep Renamed' },
  crm_update_lead_stage: { lead: refs.lead, stage: 'contacted' },
});

describe('CRM tool sweep', () => {
  let world: World;
  let northwind: Refs;
  let acme: Refs;
  before(async () => {
    world = await startWorld();
    northwind = await refsOf(NINA, 'northwind');
    acme = await refsOf(CAROL, 'acme');
  });
  after(() => world.close());
  const call: World['call'] = (email, tool, args) => world.call(email, tool, args);
  const crmTools = async (email: string) =>
    world.platform.gateway.listTools(await world.as(email)).filter((t) => t.name.startsWith('crm_'));

  /** A lead, a won lead, a customer and an open task in the tenant of `email`. */
  async function refsOf(email: string, label: string): Promise<Refs> {
    const { lead } = (await call(email, 'crm_create_lead', { name: `${label} lead` })) as { lead: Lead };
    const won = ((await call(email, 'crm_create_lead', { name: `${label} won lead` })) as { lead: Lead })
      .lead;
    await call(email, 'crm_update_lead_stage', { lead: won.id, stage: 'won' });
    const { customer } = (await call(email, 'crm_create_customer', { name: `${label} customer` })) as {
      customer: { id: string };
    };
    const { interaction } = (await call(email, 'crm_log_interaction', {
      customer: customer.id,
      kind: 'task',
      summary: `${label} task`,
      dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    })) as { interaction: { id: string } };
    return { lead: lead.id, wonLead: won.id, customer: customer.id, task: interaction.id };
  }

  /** Every CRM row of every tenant, and how many domain events were published. */
  async function crmState() {
    const db = world.database.db;
    const [events] = await db.select({ n: count() }).from(domainEvents);
    return {
      leads: await db.select().from(leads).orderBy(asc(leads.id)),
      customers: await db.select().from(customers).orderBy(asc(customers.id)),
      interactions: await db.select().from(interactions).orderBy(asc(interactions.id)),
      events: events?.n,
    };
  }
  const rowCounts = (state: Awaited<ReturnType<typeof crmState>>) => ({
    leads: state.leads.length,
    customers: state.customers.length,
    interactions: state.interactions.length,
    events: state.events,
  });

  it('returns a lead with its details and the signals that explain its score', async () => {
    const { lead: created } = (await call(NINA, 'crm_create_lead', {
      name: 'Gina Getz',
      email: 'Gina@Getz.test',
      phone: '+1 555 0142',
      company: 'Getz Bakery',
      source: 'Event',
      notes: 'Needs a quote, urgent',
      customFields: { budget: 5000, vip: true },
    })) as { lead: Lead };
    const { lead } = (await call(NINA, 'crm_get_lead', { lead: created.id })) as { lead: Lead };
    expect(lead).to.deep.include({
      id: created.id,
      name: 'Gina Getz',
      email: 'gina@getz.test',
      phone: '+1 555 0142',
      company: 'Getz Bakery',
      source: 'event',
      notes: 'Needs a quote, urgent',
      customFields: { budget: 5000, vip: true },
      stage: 'new',
      ownerId: await world.userId(NINA),
      customerId: null,
      tenantId: await world.tenantId('northwind'),
      score: 60,
    });
    expect(lead.scoreSignals).to.deep.equal([
      { signal: 'has an email address', points: 10 },
      { signal: 'has a phone number', points: 10 },
      { signal: 'works for a company', points: 10 },
      { signal: 'came from event', points: 15 },
      { signal: 'notes show buying intent', points: 15 },
    ]);
    expect(lead.createdAt).to.equal(created.createdAt);

    // A call logged for the lead counts towards the score, and the next read shows why.
    await call(NINA, 'crm_log_interaction', { lead: lead.id, kind: 'call', summary: 'Talked cakes' });
    const { lead: engaged } = (await call(NINA, 'crm_get_lead', { lead: lead.id })) as { lead: Lead };
    expect(engaged.score).to.equal(65);
    expect(engaged.scoreSignals.at(-1)).to.deep.equal({ signal: 'calls and meetings logged', points: 5 });

    const unknown = await refusalOf(call(NINA, 'crm_get_lead', { lead: `lead_${'0'.repeat(26)}` }));
    expect(unknown.code).to.equal('not_found');
    expect(unknown.details).to.deep.equal({ field: 'lead' });
  });

  it('updates a lead’s details, rescoring it, shows the change on the next read and audits the write', async () => {
    const { lead: created } = (await call(NINA, 'crm_create_lead', {
      name: 'Hal Hart',
      email: 'hal@hart.test',
      source: 'website',
      customFields: { budget: 100 },
    })) as { lead: Lead };
    expect(created.score).to.equal(20);
    const changes = {
      lead: created.id,
      name: '  Hal Hartley ',
      email: null,
      company: 'Hartley & Sons',
      source: 'Referral',
      notes: 'Asked for pricing',
      customFields: { tier: 'gold' },
    };
    const { lead: updated } = (await call(NINA, 'crm_update_lead', changes)) as { lead: Lead };
    const { lead: read } = (await call(NINA, 'crm_get_lead', { lead: created.id })) as { lead: Lead };
    expect(read).to.deep.equal(updated);
    expect(read).to.deep.include({
      name: 'Hal Hartley',
      email: null,
      phone: null,
      company: 'Hartley & Sons',
      source: 'referral',
      notes: 'Asked for pricing',
      customFields: { budget: 100, tier: 'gold' },
      stage: 'new',
      ownerId: created.ownerId,
      createdAt: created.createdAt,
      score: 45,
    });
    expect(read.scoreSignals.map((s) => s.signal)).to.deep.equal([
      'works for a company',
      'came from referral',
      'notes show buying intent',
    ]);
    expect(Date.parse(read.updatedAt)).to.be.greaterThan(Date.parse(created.updatedAt));

    await world.platform.audit.flush();
    const records = await world.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tool, 'crm_update_lead'), eq(auditLog.target, created.id)));
    expect(records).to.have.length(1);
    expect(records[0]).to.deep.include({
      userId: await world.userId(NINA),
      userEmail: NINA,
      tenantId: await world.tenantId('northwind'),
      outcome: 'ok',
      error: null,
      args: changes,
    });

    const nothing = await refusalOf(call(NINA, 'crm_update_lead', { lead: created.id }));
    expect(nothing.code).to.equal('bad_request');
    expect(nothing.message).to.contain('name at least one field to change');
    const { lead: unchanged } = (await call(NINA, 'crm_get_lead', { lead: created.id })) as { lead: Lead };
    expect(unchanged).to.deep.equal(read);
  });

  it('hides and refuses every CRM tool with forbidden once the crm feature is off, changing nothing, and restores them when it is on again', async () => {
    const listed = (await crmTools(BOB)).map((t) => t.name);
    const args = validArgs(northwind);
    expect(listed, 'the sweep knows arguments for exactly the tools listed').to.have.members(
      Object.keys(args),
    );

    await call(OPS, 'users_set_features', { user: BOB, features: { crm: false } });
    const tools = world.platform.gateway.listTools(await world.as(BOB)).map((t) => t.name);
    expect(tools.filter((name) => name.startsWith('crm_'))).to.deep.equal([]);
    expect(tools).to.include('agents_create_task');

    const before = await crmState();
    for (const name of listed) {
      const error = await refusalOf(call(BOB, name, args[name]));
      expect(error.code, name).to.equal('forbidden');
      expect(error.message, name).to.contain('crm feature is turned off');
      expect(error.details, name).to.deep.equal({ tool: name, feature: 'crm' });
    }
    const after = await crmState();
    expect(rowCounts(after)).to.deep.equal(rowCounts(before));
    expect(after).to.deep.equal(before);

    await world.platform.audit.flush();
    const refused = await world.database.db
      .select({ tool: auditLog.tool })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.userId, await world.userId(BOB)),
          eq(auditLog.outcome, 'forbidden'),
          like(auditLog.tool, 'crm\\_%'),
        ),
      );
    expect(refused.map((r) => r.tool)).to.have.members(listed);

    // Switched on again, the very next request lists them, and the same arguments are accepted.
    await call(OPS, 'users_set_features', { user: BOB, features: { crm: true } });
    expect((await crmTools(BOB)).map((t) => t.name)).to.have.members(listed);
    for (const name of listed) {
      const result = await call(BOB, name, args[name]);
      expect(result, name).to.be.an('object').that.is.not.empty;
    }
    expect(rowCounts(await crmState()).leads).to.equal(rowCounts(after).leads + 2);
  });

  it('refuses an unknown argument on every CRM tool with bad_request naming it, writing nothing', async () => {
    const listed = (await crmTools(NINA)).map((t) => t.name);
    const args = validArgs(northwind);
    expect(listed).to.have.members(Object.keys(args));
    const before = await crmState();
    for (const name of listed) {
      const error = await refusalOf(call(NINA, name, { ...args[name], bogus: 1 }));
      expect(error.code, name).to.equal('bad_request');
      expect(error.message, name).to.contain(`arguments for ${name}`).and.contain('bogus: unknown field');
      const fields = (error.details as { fields: { field: string; message: string }[] }).fields;
      expect(
        fields.map((f) => f.field),
        name,
      ).to.deep.equal(['bogus']);
      expect(fields[0]?.message, name).to.match(/^unknown field; allowed fields: /);
    }
    const after = await crmState();
    expect(rowCounts(after)).to.deep.equal(rowCounts(before));
    expect(after).to.deep.equal(before);
  });

  it('refuses every reference to another tenant’s lead, customer or task as not_found, changing nothing', async () => {
    const cases: [string, Record<string, unknown>, 'lead' | 'customer' | 'task'][] = [
      ['crm_get_lead', { lead: acme.lead }, 'lead'],
      ['crm_update_lead', { lead: acme.lead, name: 'Taken over' }, 'lead'],
      ['crm_update_lead_stage', { lead: acme.lead, stage: 'qualified' }, 'lead'],
      ['crm_assign_lead', { lead: acme.lead, owner: NINA }, 'lead'],
      ['crm_convert_lead', { lead: acme.wonLead }, 'lead'],
      ['crm_get_customer', { customer: acme.customer }, 'customer'],
      ['crm_timeline', { customer: acme.customer }, 'customer'],
      ['crm_timeline', { lead: acme.lead }, 'lead'],
      ['crm_log_interaction', { customer: acme.customer, kind: 'note', summary: 'x' }, 'customer'],
      ['crm_log_interaction', { lead: acme.lead, kind: 'call', summary: 'x' }, 'lead'],
      [
        'crm_log_interaction',
        { customer: northwind.customer, lead: acme.lead, kind: 'note', summary: 'x' },
        'lead',
      ],
      ['crm_complete_task', { task: acme.task }, 'task'],
    ];
    // Every listed tool that takes a lead, customer or task reference is tried, each with every reference it takes.
    const referencing = (await crmTools(NINA)).flatMap((t) =>
      Object.keys((t.inputSchema as { properties?: Record<string, unknown> }).properties ?? {})
        .filter((field) => ['lead', 'customer', 'task'].includes(field))
        .map((field) => `${t.name}.${field}`),
    );
    expect([...new Set(cases.map(([tool, , field]) => `${tool}.${field}`))]).to.have.members(referencing);

    const before = await crmState();
    for (const [tool, args, field] of cases) {
      const ref = args[field] as string;
      const error = await refusalOf(call(NINA, tool, args));
      expect(error.code, `${tool} ${field}`).to.equal('not_found');
      expect(error.message, `${tool} ${field}`).to.equal(`No ${field} ${ref} that you can access.`);
      expect(error.details, `${tool} ${field}`).to.deep.equal({ field });
    }
    const after = await crmState();
    expect(rowCounts(after)).to.deep.equal(rowCounts(before));
    expect(after).to.deep.equal(before);
    // Carol still sees her records as she left them.
    const { lead } = (await call(CAROL, 'crm_get_lead', { lead: acme.lead })) as { lead: Lead };
    expect(lead).to.include({ name: 'acme lead', stage: 'new', ownerId: await world.userId(CAROL) });
    const won = (await call(CAROL, 'crm_get_lead', { lead: acme.wonLead })) as { lead: Lead };
    expect(won.lead.customerId).to.equal(null);
  });
});

describe('CRM stage and due-task events reaching task automation', () => {
  const runsOf = async (world: World, task: string) =>
    (
      (await world.platform.gateway.callTool(await world.as(NINA), 'agents_task_runs', { task })) as {
        items: { trigger: string; status: string; reply: string | null; event: string | null }[];
      }
    ).items;

  it('runs a task waiting for crm.lead_stage_changed, with the move in its prompt, once per change', async () => {
    const script = scriptedModel([{ text: 'Follow-up planned.' }]);
    const world = await startWorld({}, { model: script.model });
    try {
      const nina = await world.as(NINA);
      const { task } = (await world.platform.gateway.callTool(nina, 'agents_create_task', {
        name: 'follow up moves',
        instruction: 'Plan a follow-up for the lead that moved.',
        event: 'crm.lead_stage_changed',
      })) as { task: { id: string } };
      const { lead } = (await world.platform.gateway.callTool(nina, 'crm_create_lead', {
        name: 'Stan Stage',
        email: 'stan@stage.test',
      })) as { lead: Lead };
      expect(await world.platform.automation.tick()).to.include({ ran: 0 });
      expect(await runsOf(world, task.id)).to.deep.equal([]);

      await world.platform.gateway.callTool(nina, 'crm_update_lead_stage', {
        lead: lead.id,
        stage: 'qualified',
      });
      expect(await world.platform.automation.tick()).to.include({ ran: 1 });
      const [event, ...more] = await world.database.db
        .select()
        .from(domainEvents)
        .where(eq(domainEvents.name, 'crm.lead_stage_changed'));
      expect(more).to.deep.equal([]);
      expect(event?.payload).to.deep.equal({
        leadId: lead.id,
        name: 'Stan Stage',
        from: 'new',
        to: 'qualified',
        reason: null,
      });
      const runs = await runsOf(world, task.id);
      expect(runs.map((r) => [r.trigger, r.status, r.reply, r.event])).to.deep.equal([
        ['event', 'succeeded', 'Follow-up planned.', event?.id],
      ]);
      expect(JSON.stringify(script.calls.at(-1)?.prompt))
        .to.contain('crm.lead_stage_changed')
        .and.contain(lead.id)
        .and.contain('Plan a follow-up for the lead that moved.');

      // Setting the stage it already has is no change: no event, no second run.
      await world.platform.gateway.callTool(nina, 'crm_update_lead_stage', {
        lead: lead.id,
        stage: 'qualified',
      });
      expect(await world.platform.automation.tick()).to.include({ ran: 0 });
      expect(await runsOf(world, task.id)).to.have.length(1);
    } finally {
      await world.close();
    }
  });

  it('runs a task waiting for crm.task_due once, when the automation clock passes the due time', async () => {
    const script = scriptedModel([{ text: 'Reminder sent.' }]);
    const world = await startWorld({}, { model: script.model });
    try {
      const nina = await world.as(NINA);
      const { task } = (await world.platform.gateway.callTool(nina, 'agents_create_task', {
        name: 'chase due tasks',
        instruction: 'Remind me about the task that is due.',
        event: 'crm.task_due',
      })) as { task: { id: string } };
      const { customer } = (await world.platform.gateway.callTool(nina, 'crm_create_customer', {
        name: 'Due Diligence Ltd',
      })) as { customer: { id: string } };
      const start = Date.now();
      const dueAt = new Date(start + 60 * 60_000);
      const log = async (summary: string) =>
        (
          (await world.platform.gateway.callTool(nina, 'crm_log_interaction', {
            customer: customer.id,
            kind: 'task',
            summary,
            dueAt: dueAt.toISOString(),
          })) as { interaction: { id: string } }
        ).interaction.id;
      const due = await log('Send the contract');
      // A task done before it falls due is never announced.
      const done = await log('Already handled');
      await world.platform.gateway.callTool(nina, 'crm_complete_task', { task: done });

      expect(await world.platform.automation.tick(new Date(start + 30 * 60_000))).to.include({ ran: 0 });
      expect(await runsOf(world, task.id)).to.deep.equal([]);

      expect(await world.platform.automation.tick(new Date(start + 61 * 60_000))).to.include({ ran: 1 });
      const events = await world.database.db
        .select()
        .from(domainEvents)
        .where(eq(domainEvents.name, 'crm.task_due'));
      expect(events.map((e) => e.payload)).to.deep.equal([
        {
          taskId: due,
          summary: 'Send the contract',
          dueAt: dueAt.toISOString(),
          customerId: customer.id,
          leadId: null,
        },
      ]);
      const runs = await runsOf(world, task.id);
      expect(runs.map((r) => [r.trigger, r.status, r.reply, r.event])).to.deep.equal([
        ['event', 'succeeded', 'Reminder sent.', events[0]?.id],
      ]);
      expect(JSON.stringify(script.calls.at(-1)?.prompt))
        .to.contain('crm.task_due')
        .and.contain(due)
        .and.contain('Send the contract');

      // Later passes announce nothing again.
      expect(await world.platform.automation.tick(new Date(start + 3 * 60 * 60_000))).to.include({ ran: 0 });
      expect(await runsOf(world, task.id)).to.have.length(1);
      const [row] = await world.database.db.select().from(interactions).where(eq(interactions.id, due));
      expect(row?.dueNotifiedAt?.getTime()).to.equal(start + 61 * 60_000);
    } finally {
      await world.close();
    }
  });
});
