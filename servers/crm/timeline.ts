import { and, count, desc, eq, isNull, type SQL } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { rescore } from './leads.ts';
import { findCustomer, findLead } from './refs.ts';
import { type InteractionKind, interactions } from './schema.ts';
import { interactionView } from './views.ts';

export interface InteractionInput {
  customer?: string | undefined;
  lead?: string | undefined;
  kind: Exclude<InteractionKind, 'stage_change'>;
  summary: string;
  body?: string | undefined;
  dueAt?: Date | undefined;
  occurredAt?: Date | undefined;
  data?: Record<string, unknown> | undefined;
}

/** Adds to a customer's or lead's timeline: a note, call, email, meeting, task (with a due date), review or billing event. */
export async function logInteraction(tx: Tx, ctx: CallContext, input: InteractionInput) {
  if (!input.customer && !input.lead)
    throw new AppError('bad_request', 'Name a customer or a lead.', { field: 'customer' });
  if (input.kind === 'task' && !input.dueAt)
    throw new AppError('bad_request', 'dueAt: a task needs a due date.', { field: 'dueAt' });
  const lead = input.lead ? await findLead(tx, input.lead) : undefined;
  const customer = input.customer ? await findCustomer(tx, input.customer) : undefined;
  if (lead && customer && lead.customerId && lead.customerId !== customer.id) {
    throw new AppError('bad_request', `Lead ${lead.id} belongs to another customer.`, { field: 'lead' });
  }
  const [row] = await tx
    .insert(interactions)
    .values({
      id: newId('interaction'),
      tenantId: (customer ?? lead)?.tenantId ?? ctx.tenantId,
      leadId: lead?.id ?? null,
      customerId: customer?.id ?? lead?.customerId ?? null,
      kind: input.kind,
      summary: input.summary.trim(),
      body: input.body?.trim() || null,
      dueAt: input.dueAt ?? null,
      data: input.data ?? {},
      actorId: ctx.userId,
      occurredAt: input.occurredAt ?? new Date(),
    })
    .returning();
  if (!row) throw new AppError('internal', 'The interaction was not saved.');
  // Calls and meetings count towards the lead's score.
  if (lead && (input.kind === 'call' || input.kind === 'meeting')) await rescore(tx, lead);
  return interactionView(row);
}

export async function completeTask(tx: Tx, id: string) {
  const [task] = await tx
    .select()
    .from(interactions)
    .where(and(eq(interactions.id, id), eq(interactions.kind, 'task')));
  if (!task) throw new AppError('not_found', `No task ${id} that you can access.`, { field: 'task' });
  if (task.doneAt) return interactionView(task);
  const [done] = await tx
    .update(interactions)
    .set({ doneAt: new Date() })
    .where(eq(interactions.id, id))
    .returning();
  return interactionView(done ?? task);
}

/** A customer's or lead's history, newest first, optionally one kind, paged. */
export async function timeline(
  tx: Tx,
  q: {
    customer?: string | undefined;
    lead?: string | undefined;
    kind?: InteractionKind | undefined;
    openTasks?: boolean | undefined;
    page: number;
    pageSize: number;
  },
) {
  if (!q.customer && !q.lead)
    throw new AppError('bad_request', 'Name a customer or a lead.', { field: 'customer' });
  if (q.customer) await findCustomer(tx, q.customer);
  if (q.lead) await findLead(tx, q.lead);
  const conditions: SQL[] = [
    q.customer ? eq(interactions.customerId, q.customer) : eq(interactions.leadId, q.lead as string),
  ];
  if (q.kind) conditions.push(eq(interactions.kind, q.kind));
  if (q.openTasks) conditions.push(eq(interactions.kind, 'task'), isNull(interactions.doneAt));
  const where = and(...conditions);
  const rows = await tx
    .select()
    .from(interactions)
    .where(where)
    .orderBy(desc(interactions.occurredAt), desc(interactions.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await tx.select({ n: count() }).from(interactions).where(where);
  return { items: rows.map(interactionView), page: q.page, pageSize: q.pageSize, total: total?.n ?? 0 };
}
