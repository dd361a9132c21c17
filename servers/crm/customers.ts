import { and, count, desc, eq, ilike, isNull, or, type SQL } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { findCustomer, findLead } from './refs.ts';
import { customers, interactions, leads } from './schema.ts';
import { customerView, interactionView, leadView } from './views.ts';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function createCustomer(
  tx: Tx,
  ctx: CallContext,
  input: {
    kind: 'person' | 'company';
    name: string;
    email?: string | undefined;
    phone?: string | undefined;
    company?: string | undefined;
  },
) {
  const [row] = await tx
    .insert(customers)
    .values({
      id: newId('customer'),
      tenantId: ctx.tenantId,
      kind: input.kind,
      name: input.name.trim(),
      email: input.email?.trim().toLowerCase() || null,
      phone: input.phone?.trim() || null,
      company: input.company?.trim() || null,
    })
    .returning();
  if (!row) throw new AppError('internal', 'The customer was not saved.');
  return customerView(row);
}

/** Turns a won lead into a customer, carrying its timeline over. Converting twice is refused. */
export async function convertLead(tx: Tx, ctx: CallContext, leadId: string) {
  const lead = await findLead(tx, leadId);
  if (lead.customerId)
    throw new AppError('conflict', `${lead.name} is already customer ${lead.customerId}.`, { field: 'lead' });
  if (lead.stage !== 'won')
    throw new AppError('conflict', `Only a won lead becomes a customer; ${lead.name} is at ${lead.stage}.`, {
      field: 'lead',
    });
  const [customer] = await tx
    .insert(customers)
    .values({
      id: newId('customer'),
      tenantId: lead.tenantId,
      // A lead is a person (their company is kept on the customer record), so the customer is one too.
      kind: 'person',
      name: lead.name,
      email: lead.email,
      phone: lead.phone,
      company: lead.company,
      leadId: lead.id,
    })
    .returning();
  if (!customer) throw new AppError('internal', 'The customer was not saved.');
  await tx.update(leads).set({ customerId: customer.id, updatedAt: new Date() }).where(eq(leads.id, lead.id));
  await tx
    .update(interactions)
    .set({ customerId: customer.id })
    .where(and(eq(interactions.leadId, lead.id), isNull(interactions.customerId)));
  await tx.insert(interactions).values({
    id: newId('interaction'),
    tenantId: lead.tenantId,
    leadId: lead.id,
    customerId: customer.id,
    kind: 'note',
    summary: `Became a customer (from lead ${lead.id})`,
    actorId: ctx.userId,
  });
  return { customer: customerView(customer), lead: leadView({ ...lead, customerId: customer.id }) };
}

export async function listCustomers(
  tx: Tx,
  q: { query?: string | undefined; kind?: 'person' | 'company' | undefined; page: number; pageSize: number },
) {
  const conditions: SQL[] = [];
  if (q.kind) conditions.push(eq(customers.kind, q.kind));
  if (q.query) {
    const p = `%${escapeLike(q.query.trim())}%`;
    conditions.push(
      or(ilike(customers.name, p), ilike(customers.email, p), ilike(customers.company, p)) as SQL,
    );
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const rows = await tx
    .select()
    .from(customers)
    .where(where)
    .orderBy(desc(customers.createdAt))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await tx.select({ n: count() }).from(customers).where(where);
  return { items: rows.map(customerView), page: q.page, pageSize: q.pageSize, total: total?.n ?? 0 };
}

/** The 360° view: the customer, the leads they came from, what happened by kind, open tasks, the latest timeline. */
export async function customer360(tx: Tx, id: string) {
  const customer = await findCustomer(tx, id);
  const fromLeads = await tx.select().from(leads).where(eq(leads.customerId, id));
  const byKind = await tx
    .select({ kind: interactions.kind, n: count() })
    .from(interactions)
    .where(eq(interactions.customerId, id))
    .groupBy(interactions.kind);
  const openTasks = await tx
    .select()
    .from(interactions)
    .where(and(eq(interactions.customerId, id), eq(interactions.kind, 'task'), isNull(interactions.doneAt)))
    .orderBy(interactions.dueAt);
  const recent = await tx
    .select()
    .from(interactions)
    .where(eq(interactions.customerId, id))
    .orderBy(desc(interactions.occurredAt))
    .limit(20);
  return {
    customer: customerView(customer),
    leads: fromLeads.map(leadView),
    counts: Object.fromEntries(byKind.map((k) => [k.kind, k.n])),
    openTasks: openTasks.map(interactionView),
    timeline: recent.map(interactionView),
  };
}
