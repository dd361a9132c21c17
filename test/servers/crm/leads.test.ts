import { expect } from 'chai';
import { eq, sql } from 'drizzle-orm';
import { domainEvents } from '../../../core/events/schema.ts';
import { leads } from '../../../servers/crm/schema.ts';
import { refusalOf } from '../../support/refusal.ts';
import { startWorld, type World } from '../../support/world.ts';

interface Lead {
  id: string;
  name: string;
  email: string | null;
  stage: string;
  score: number;
  scoreSignals: { signal: string; points: number }[];
  ownerId: string | null;
  notes: string | null;
  company: string | null;
}

describe('CRM leads', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());
  const call: World['call'] = (email, tool, args) => world.call(email, tool, args);
  const create = async (email: string, args: Record<string, unknown>) =>
    ((await call(email, 'crm_create_lead', args)) as { lead: Lead }).lead;

  it('adds a lead with an explainable score and publishes crm.lead_created', async () => {
    const lead = await create('nina@northwind.test', {
      name: 'Dana Lee',
      email: 'Dana@AcmeCorp.test',
      company: 'Acme Corp',
      source: 'Referral',
      notes: 'She called about pricing for wedding cakes',
    });
    expect(lead).to.include({
      name: 'Dana Lee',
      email: 'dana@acmecorp.test',
      stage: 'new',
      ownerId: await world.userId('nina@northwind.test'),
    });
    expect(lead.scoreSignals.map((s) => s.signal)).to.include.members([
      'has an email address',
      'works for a company',
      'came from referral',
      'notes show buying intent',
    ]);
    expect(lead.score).to.equal(lead.scoreSignals.reduce((sum, s) => sum + s.points, 0));
    const events = await world.database.db
      .select()
      .from(domainEvents)
      .where(eq(domainEvents.name, 'crm.lead_created'));
    expect(events.map((e) => e.payload.leadId)).to.include(lead.id);
  });

  it('refuses a duplicate by email or phone, or merges it when asked', async () => {
    const first = await create('nina@northwind.test', {
      name: 'Sam Baker',
      email: 'sam@oven.test',
      phone: '+1 (555) 010-0200',
    });
    const byEmail = await refusalOf(
      call('nina@northwind.test', 'crm_create_lead', { name: 'Samuel', email: 'SAM@oven.test' }),
    );
    expect(byEmail.code).to.equal('conflict');
    expect(byEmail.details).to.deep.equal({ duplicateId: first.id });
    const byPhone = await refusalOf(
      call('nina@northwind.test', 'crm_create_lead', { name: 'Samuel', phone: '15550100200' }),
    );
    expect(byPhone.code).to.equal('conflict');
    const merged = (await call('nina@northwind.test', 'crm_create_lead', {
      name: 'Samuel',
      phone: '1-555-010-0200',
      company: 'Oven Co',
      notes: 'wants a quote',
      onDuplicate: 'merge',
    })) as {
      lead: Lead;
      merged: boolean;
    };
    expect(merged.merged).to.equal(true);
    expect(merged.lead).to.include({
      id: first.id,
      name: 'Sam Baker',
      company: 'Oven Co',
      notes: 'wants a quote',
    });
    // Another tenant may have the same person as its own lead.
    const elsewhere = await create('carol@acme.test', { name: 'Sam Baker', email: 'sam@oven.test' });
    expect(elsewhere.id).to.not.equal(first.id);
  });

  it('moves a lead through the pipeline, logging each change, needing a reason for lost, keeping won final', async () => {
    const lead = await create('carol@acme.test', { name: 'Pipe Line', email: 'pipe@line.test' });
    for (const stage of ['contacted', 'qualified', 'proposal'])
      await call('carol@acme.test', 'crm_update_lead_stage', { lead: lead.id, stage });
    const noReason = await refusalOf(
      call('carol@acme.test', 'crm_update_lead_stage', { lead: lead.id, stage: 'lost' }),
    );
    expect(noReason.code).to.equal('bad_request');
    expect(noReason.message).to.contain('reason');
    const lost = (await call('carol@acme.test', 'crm_update_lead_stage', {
      lead: lead.id,
      stage: 'lost',
      reason: 'went with a competitor',
    })) as { lead: Lead & { lostReason: string } };
    expect(lost.lead).to.include({ stage: 'lost', score: 0, lostReason: 'went with a competitor' });
    await call('carol@acme.test', 'crm_update_lead_stage', { lead: lead.id, stage: 'won' });
    const final = await refusalOf(
      call('carol@acme.test', 'crm_update_lead_stage', { lead: lead.id, stage: 'new' }),
    );
    expect(final.code).to.equal('conflict');
    const history = (await call('carol@acme.test', 'crm_timeline', {
      lead: lead.id,
      kind: 'stage_change',
    })) as { items: { summary: string }[] };
    expect(history.items.map((i) => i.summary)).to.deep.equal([
      'Stage lost → won',
      'Stage proposal → lost (went with a competitor)',
      'Stage qualified → proposal',
      'Stage contacted → qualified',
      'Stage new → contacted',
    ]);
    const changed = await world.database.db
      .select()
      .from(domainEvents)
      .where(eq(domainEvents.name, 'crm.lead_stage_changed'));
    expect(changed.filter((e) => e.payload.leadId === lead.id)).to.have.length(5);
  });

  it('lists and searches leads by stage, text, owner, source, score and dates, paged', async () => {
    await create('nina@northwind.test', { name: 'Filter One', source: 'website', email: 'f1@x.test' });
    await create('nina@northwind.test', {
      name: 'Filter Two',
      source: 'event',
      email: 'f2@x.test',
      company: 'Two Co',
      phone: '+1 555 0199',
    });
    const nina = 'nina@northwind.test';
    const bySource = (await call(nina, 'crm_list_leads', { source: 'event' })) as {
      items: Lead[];
      total: number;
    };
    expect(bySource.items.map((l) => l.name)).to.deep.equal(['Filter Two']);
    const byText = (await call(nina, 'crm_list_leads', { query: 'filter' })) as { items: Lead[] };
    expect(byText.items.map((l) => l.name)).to.deep.equal(['Filter Two', 'Filter One']);
    const byScore = (await call(nina, 'crm_list_leads', { query: 'filter', minScore: 40 })) as {
      items: Lead[];
    };
    expect(byScore.items.map((l) => l.name)).to.deep.equal(['Filter Two']);
    const byOwner = (await call(nina, 'crm_list_leads', {
      owner: 'nina@northwind.test',
      status: 'new',
      pageSize: 1,
    })) as { items: Lead[]; total: number };
    expect(byOwner.items).to.have.length(1);
    expect(byOwner.total).to.be.greaterThan(1);
    const today = new Date().toISOString().slice(0, 10);
    const byDate = (await call(nina, 'crm_list_leads', { from: today, to: today, query: 'filter' })) as {
      total: number;
    };
    expect(byDate.total).to.equal(2);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(((await call(nina, 'crm_list_leads', { from: tomorrow })) as { total: number }).total).to.equal(0);
  });

  it('assigns an owner resolved by the users server, within the caller’s scope', async () => {
    const lead = await create('nina@northwind.test', { name: 'Owner Test' });
    const assigned = (await call('nina@northwind.test', 'crm_assign_lead', {
      lead: lead.id,
      owner: 'bob@northwind.test',
    })) as { lead: Lead };
    expect(assigned.lead.ownerId).to.equal(await world.userId('bob@northwind.test'));
    const foreign = await refusalOf(
      call('nina@northwind.test', 'crm_assign_lead', { lead: lead.id, owner: 'carol@acme.test' }),
    );
    expect(foreign.code).to.equal('not_found');
  });

  it('keeps tenants apart: another tenant’s lead is not found and unchanged', async () => {
    const lead = await create('carol@acme.test', { name: 'Acme Secret', email: 'secret@acme.test' });
    for (const [tool, args] of [
      ['crm_get_lead', { lead: lead.id }],
      ['crm_update_lead', { lead: lead.id, name: 'Stolen' }],
      ['crm_update_lead_stage', { lead: lead.id, stage: 'contacted' }],
    ] as const) {
      const error = await refusalOf(call('nina@northwind.test', tool, args));
      expect(error.code, tool).to.equal('not_found');
    }
    const list = (await call('nina@northwind.test', 'crm_list_leads', { query: 'Acme Secret' })) as {
      total: number;
    };
    expect(list.total).to.equal(0);
    const partner = (await call('paula@brightpath.test', 'crm_list_leads', { query: 'Acme Secret' })) as {
      total: number;
    };
    expect(partner.total).to.equal(1);
    const [row] = await world.database.db.select().from(leads).where(eq(leads.id, lead.id));
    expect(row).to.include({ name: 'Acme Secret', stage: 'new' });
  });

  it('refuses people without the CRM feature, and bad input naming the field, writing nothing', async () => {
    const before = await world.database.db.select({ n: sql<number>`count(*)::int` }).from(leads);
    const off = await refusalOf(call('dave@acme.test', 'crm_create_lead', { name: 'No CRM' }));
    expect(off.code).to.equal('forbidden');
    expect(off.message).to.match(/crm feature/);
    expect(
      world.platform.gateway
        .listTools(await world.as('dave@acme.test'))
        .some((t) => t.name.startsWith('crm_')),
    ).to.equal(false);
    const bad: [Record<string, unknown>, string][] = [
      [{}, 'name'],
      [{ name: 'X', email: 'not-an-email' }, 'email'],
      [{ name: 'X', phone: 'call me' }, 'phone'],
      [{ name: 'x'.repeat(500) }, 'name'],
      [{ name: 'X', stage: 'won' }, 'stage'],
      [{ name: 'X', onDuplicate: 'ignore' }, 'onDuplicate'],
      [{ name: 'X', customFields: { tier: { nested: true } } }, 'customFields'],
    ];
    for (const [args, field] of bad) {
      const error = await refusalOf(call('nina@northwind.test', 'crm_create_lead', args));
      expect(error.code, JSON.stringify(args)).to.equal('bad_request');
      expect(error.message, JSON.stringify(args)).to.contain(field);
    }
    const stageBad = await refusalOf(
      call('nina@northwind.test', 'crm_update_lead_stage', { lead: 'lead_nope', stage: 'won' }),
    );
    expect(stageBad.message).to.contain('lead');
    const after = await world.database.db.select({ n: sql<number>`count(*)::int` }).from(leads);
    expect(after[0]?.n).to.equal(before[0]?.n);
  });
});
