import { expect } from 'chai';
import { eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../../core/db/connection.ts';
import { withTenantScope } from '../../../core/db/tenant-scope.ts';
import { domainEvents } from '../../../core/events/schema.ts';
import { emitDueTaskEvents } from '../../../servers/crm/index.ts';
import { leads } from '../../../servers/crm/schema.ts';
import { refusalOf } from '../../support/refusal.ts';
import { startWorld, type World } from '../../support/world.ts';

describe('CRM customers, timeline, CSV and due tasks', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());
  const call: World['call'] = (email, tool, args) => world.call(email, tool, args);
  const CAROL = 'carol@acme.test';

  it('turns a won lead into a customer with its history, and shows the 360° view', async () => {
    const { lead } = (await call(CAROL, 'crm_create_lead', {
      name: 'Rita Pipes',
      email: 'rita@pipes.test',
      company: 'Pipes Ltd',
    })) as { lead: { id: string } };
    await call(CAROL, 'crm_log_interaction', { lead: lead.id, kind: 'call', summary: 'Discussed a boiler' });
    const early = await refusalOf(call(CAROL, 'crm_convert_lead', { lead: lead.id }));
    expect(early.code).to.equal('conflict');
    await call(CAROL, 'crm_update_lead_stage', { lead: lead.id, stage: 'won' });
    const { customer } = (await call(CAROL, 'crm_convert_lead', { lead: lead.id })) as {
      customer: { id: string; name: string };
    };
    expect(customer.name).to.equal('Rita Pipes');
    expect((await refusalOf(call(CAROL, 'crm_convert_lead', { lead: lead.id }))).code).to.equal('conflict');
    await call(CAROL, 'crm_log_interaction', {
      customer: customer.id,
      kind: 'meeting',
      summary: 'Site visit',
    });
    await call(CAROL, 'crm_log_interaction', {
      customer: customer.id,
      kind: 'review',
      summary: 'Left a 5-star review',
      data: { reviewId: 'rev_x' },
    });
    await call(CAROL, 'crm_log_interaction', {
      customer: customer.id,
      kind: 'billing',
      summary: 'Invoice INV-7 paid',
      data: { invoice: 'INV-7' },
    });
    await call(CAROL, 'crm_log_interaction', {
      customer: customer.id,
      kind: 'task',
      summary: 'Send the quote',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const view = (await call(CAROL, 'crm_get_customer', { customer: customer.id })) as {
      leads: { id: string }[];
      counts: Record<string, number>;
      openTasks: { summary: string }[];
      timeline: { kind: string; summary: string }[];
    };
    expect(view.leads.map((l) => l.id)).to.deep.equal([lead.id]);
    expect(view.counts).to.include({ call: 1, meeting: 1, review: 1, billing: 1, task: 1, stage_change: 1 });
    expect(view.openTasks.map((t) => t.summary)).to.deep.equal(['Send the quote']);
    expect(view.timeline[0]?.summary).to.equal('Send the quote');
    const page = (await call(CAROL, 'crm_timeline', { customer: customer.id, pageSize: 2, page: 2 })) as {
      items: unknown[];
      total: number;
    };
    expect(page.items).to.have.length(2);
    expect(page.total).to.be.greaterThan(5);
  });

  it('publishes crm.task_due once when a task falls due', async () => {
    const { customer } = (await call(CAROL, 'crm_create_customer', { name: 'Due Soon' })) as {
      customer: { id: string };
    };
    const { interaction } = (await call(CAROL, 'crm_log_interaction', {
      customer: customer.id,
      kind: 'task',
      summary: 'Call back',
      dueAt: new Date(Date.now() + 60_000).toISOString(),
    })) as { interaction: { id: string } };
    expect(await emitDueTaskEvents(world.database.db, new Date())).to.equal(0);
    expect(await emitDueTaskEvents(world.database.db, new Date(Date.now() + 120_000))).to.equal(1);
    expect(await emitDueTaskEvents(world.database.db, new Date(Date.now() + 240_000))).to.equal(0);
    const due = await world.database.db
      .select()
      .from(domainEvents)
      .where(eq(domainEvents.name, 'crm.task_due'));
    expect(due.map((e) => e.payload.taskId)).to.deep.equal([interaction.id]);
    const done = (await call(CAROL, 'crm_complete_task', { task: interaction.id })) as {
      task: { doneAt: string | null };
    };
    expect(done.task.doneAt).to.be.a('string');
    const noTask = await refusalOf(
      call(CAROL, 'crm_log_interaction', { customer: customer.id, kind: 'task', summary: 'No date' }),
    );
    expect(noTask.message).to.contain('dueAt');
  });

  it('imports CSV rows, reporting broken rows by line and writing nothing of them', async () => {
    const csv = [
      'name,email,phone,company,source,notes,budget',
      'Ann Able,ann@able.test,+1 555 0101,Able Inc,website,wants pricing,5000',
      ',nobody@x.test,,,,,',
      'Bad Mail,not-an-email,,,,,',
      'Ann Again,ANN@able.test,,,,,',
      'Cid Cee,cid@cee.test,call me maybe,,,,',
      'Dee Dee,dee@dee.test,,Dee Co,referral,,',
    ].join('\n');
    const result = (await call('nina@northwind.test', 'crm_import_leads', { csv })) as {
      created: number;
      merged: number;
      rejected: { line: number; errors: string[] }[];
    };
    expect(result.created).to.equal(2);
    expect(result.rejected.map((r) => r.line)).to.deep.equal([3, 4, 5, 6]);
    expect(result.rejected[0]?.errors.join()).to.match(/name/);
    expect(result.rejected[1]?.errors.join()).to.match(/email/);
    expect(result.rejected[2]?.errors.join()).to.match(/already has this email/);
    expect(result.rejected[3]?.errors.join()).to.match(/phone/);
    const names = rowsOf<{ name: string; custom_fields: Record<string, string> }>(
      await world.database.db.execute(
        sql`select name, custom_fields from leads where tenant_id = ${await world.tenantId('northwind')} order by name`,
      ),
    );
    expect(names.map((n) => n.name)).to.include.members(['Ann Able', 'Dee Dee']);
    expect(names.map((n) => n.name)).to.not.include.members(['Bad Mail', 'Ann Again', 'Cid Cee']);
    expect(names.find((n) => n.name === 'Ann Able')?.custom_fields).to.deep.equal({ budget: '5000' });

    const merged = (await call('nina@northwind.test', 'crm_import_leads', {
      csv: 'name,email,company\nAnn Again,ann@able.test,Able Group',
      onDuplicate: 'merge',
    })) as { merged: number };
    expect(merged.merged).to.equal(1);
    for (const bad of ['', 'email\nx@y.test', 'name,email\n"unclosed,x']) {
      expect(
        (await refusalOf(call('nina@northwind.test', 'crm_import_leads', { csv: bad }))).code,
        bad,
      ).to.equal('bad_request');
    }
  });

  it('exports the filtered leads as CSV', async () => {
    const { csv, rows } = (await call('nina@northwind.test', 'crm_export_leads', { source: 'referral' })) as {
      csv: string;
      rows: number;
    };
    const lines = csv.trim().split('\n');
    expect(rows).to.equal(lines.length - 1);
    expect(lines[0]).to.equal('name,email,phone,company,source,notes,stage,score,created_at');
    expect(lines.slice(1).every((l) => l.includes(',referral,'))).to.equal(true);
    expect(csv).to.contain('Dee Dee');
  });

  it('refuses the wrong tenant and people without CRM for customer tools', async () => {
    const { customer } = (await call(CAROL, 'crm_create_customer', {
      name: 'Private Co',
      kind: 'company',
    })) as { customer: { id: string } };
    expect(
      (await refusalOf(call('nina@northwind.test', 'crm_get_customer', { customer: customer.id }))).code,
    ).to.equal('not_found');
    expect(
      (
        await refusalOf(
          call('nina@northwind.test', 'crm_log_interaction', {
            customer: customer.id,
            kind: 'note',
            summary: 'x',
          }),
        )
      ).code,
    ).to.equal('not_found');
    expect((await refusalOf(call('yuki@zen.test', 'crm_list_customers'))).code).to.equal('forbidden');
    expect(
      (await refusalOf(call(CAROL, 'crm_log_interaction', { kind: 'note', summary: 'floating' }))).code,
    ).to.equal('bad_request');
    expect(
      (
        await refusalOf(
          call(CAROL, 'crm_log_interaction', { customer: customer.id, kind: 'stage_change', summary: 'x' }),
        )
      ).code,
    ).to.equal('bad_request');
  });

  it('keeps CRM rows inside the tenant even when a query forgets the filter (row-level security)', async () => {
    const nina = await world.as('nina@northwind.test');
    const seen = await withTenantScope(world.database.db, nina, (tx) => tx.select().from(leads));
    expect(seen.length).to.be.greaterThan(0);
    expect(seen.every((l) => l.tenantId === nina.tenantId)).to.equal(true);
    const changed = await withTenantScope(world.database.db, nina, (tx) =>
      tx.update(leads).set({ notes: 'hacked' }).returning(),
    );
    expect(changed.every((l) => l.tenantId === nina.tenantId)).to.equal(true);
    const acme = rowsOf<{ n: number }>(
      await world.database.db.execute(
        sql`select count(*)::int as n from leads where notes = 'hacked' and tenant_id <> ${nina.tenantId}`,
      ),
    );
    expect(acme[0]?.n).to.equal(0);
  });
});
