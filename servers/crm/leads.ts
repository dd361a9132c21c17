import { and, asc, count, desc, eq, gte, ilike, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { emitEvent } from '../../core/events/emit.ts';
import { newId } from '../../core/ids.ts';
import { findLead, phoneDigits } from './refs.ts';
import { interactions, type LeadStage, leads } from './schema.ts';
import { scoreLead } from './scoring.ts';
import { leadView } from './views.ts';

export interface LeadFields {
  name?: string | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  company?: string | null | undefined;
  source?: string | null | undefined;
  notes?: string | null | undefined;
  customFields?: Record<string, string | number | boolean> | undefined;
}

type LeadRow = typeof leads.$inferSelect;

/** Recomputes a lead's score from its fields, stage and logged calls and meetings. */
export async function rescore(tx: Tx, lead: LeadRow): Promise<LeadRow> {
  const [engaged] = await tx
    .select({ n: count() })
    .from(interactions)
    .where(and(eq(interactions.leadId, lead.id), inArray(interactions.kind, ['call', 'meeting'])));
  const { score, signals } = scoreLead({ ...lead, engagements: engaged?.n ?? 0 });
  const [updated] = await tx
    .update(leads)
    .set({ score, scoreSignals: signals })
    .where(eq(leads.id, lead.id))
    .returning();
  return updated ?? lead;
}

/** Leads of the caller's tenant with the same email (any case) or phone (any formatting). */
async function duplicatesOf(tx: Tx, ctx: CallContext, email: string | null, phone: string | null) {
  const matches: SQL[] = [];
  if (email) matches.push(ilike(leads.email, email));
  if (phone) matches.push(eq(leads.phoneDigits, phone));
  if (!matches.length) return [];
  return tx
    .select()
    .from(leads)
    .where(and(eq(leads.tenantId, ctx.tenantId), or(...matches)))
    .orderBy(asc(leads.createdAt));
}

/** Merges new details into an existing lead: empty fields filled, notes appended, nothing overwritten. */
async function mergeInto(tx: Tx, existing: LeadRow, fields: LeadFields) {
  const notes = [existing.notes, fields.notes].filter(Boolean).join('\n');
  const [merged] = await tx
    .update(leads)
    .set({
      email: existing.email ?? fields.email ?? null,
      phone: existing.phone ?? fields.phone ?? null,
      phoneDigits: existing.phoneDigits ?? phoneDigits(fields.phone),
      company: existing.company ?? fields.company ?? null,
      source: existing.source ?? fields.source ?? null,
      notes: notes || null,
      customFields: { ...fields.customFields, ...existing.customFields },
      updatedAt: new Date(),
    })
    .where(eq(leads.id, existing.id))
    .returning();
  return rescore(tx, merged ?? existing);
}

/**
 * Creates a lead, after looking for one with the same email or phone: by default a duplicate is
 * refused (naming it); with `onDuplicate: 'merge'` the new details are merged into it instead.
 */
export async function createLead(
  tx: Tx,
  ctx: CallContext,
  input: LeadFields & { name: string; onDuplicate: 'refuse' | 'merge' },
) {
  const email = input.email?.trim().toLowerCase() || null;
  const phone = input.phone?.trim() || null;
  const [duplicate] = await duplicatesOf(tx, ctx, email, phoneDigits(phone));
  if (duplicate) {
    if (input.onDuplicate === 'refuse') {
      throw new AppError(
        'conflict',
        `${duplicate.name} (${duplicate.id}) already has this ${duplicate.email === email ? 'email' : 'phone number'}; pass onDuplicate: "merge" to add these details to it.`,
        {
          duplicateId: duplicate.id,
        },
      );
    }
    return { lead: leadView(await mergeInto(tx, duplicate, { ...input, email, phone })), merged: true };
  }
  const [row] = await tx
    .insert(leads)
    .values({
      id: newId('lead'),
      tenantId: ctx.tenantId,
      name: input.name.trim(),
      email,
      phone,
      phoneDigits: phoneDigits(phone),
      company: input.company?.trim() || null,
      source: input.source?.trim().toLowerCase() || null,
      notes: input.notes?.trim() || null,
      customFields: input.customFields ?? {},
      ownerId: ctx.userId,
      createdBy: ctx.userId,
    })
    .returning();
  if (!row) throw new AppError('internal', 'The lead was not saved.');
  const lead = await rescore(tx, row);
  await emitEvent(tx, ctx, {
    tenantId: lead.tenantId,
    name: 'crm.lead_created',
    payload: {
      leadId: lead.id,
      name: lead.name,
      email: lead.email,
      company: lead.company,
      source: lead.source,
    },
  });
  return { lead: leadView(lead), merged: false };
}

export interface LeadQuery {
  status?: LeadStage | undefined;
  query?: string | undefined;
  owner?: string | undefined;
  source?: string | undefined;
  minScore?: number | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  page: number;
  pageSize: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function leadConditions(q: Omit<LeadQuery, 'page' | 'pageSize'>): SQL | undefined {
  const conditions: SQL[] = [];
  if (q.status) conditions.push(eq(leads.stage, q.status));
  if (q.owner) conditions.push(eq(leads.ownerId, q.owner));
  if (q.source) conditions.push(eq(leads.source, q.source.toLowerCase()));
  if (q.minScore !== undefined) conditions.push(gte(leads.score, q.minScore));
  if (q.from) conditions.push(gte(leads.createdAt, q.from));
  if (q.to) conditions.push(lt(leads.createdAt, q.to));
  if (q.query) {
    const p = `%${escapeLike(q.query.trim())}%`;
    conditions.push(
      or(ilike(leads.name, p), ilike(leads.email, p), ilike(leads.company, p), ilike(leads.notes, p)) as SQL,
    );
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** Leads the caller can see, newest first, filtered and paged. */
export async function listLeads(tx: Tx, q: LeadQuery) {
  const where = leadConditions(q);
  const rows = await tx
    .select()
    .from(leads)
    .where(where)
    .orderBy(desc(leads.createdAt), desc(leads.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await tx.select({ n: count() }).from(leads).where(where);
  return { items: rows.map(leadView), page: q.page, pageSize: q.pageSize, total: total?.n ?? 0 };
}

export async function updateLead(tx: Tx, id: string, fields: LeadFields) {
  const lead = await findLead(tx, id);
  const changes: Partial<typeof leads.$inferInsert> = { updatedAt: new Date() };
  if (fields.name !== undefined) changes.name = fields.name.trim();
  if (fields.email !== undefined) changes.email = fields.email?.trim().toLowerCase() || null;
  if (fields.phone !== undefined) {
    changes.phone = fields.phone?.trim() || null;
    changes.phoneDigits = phoneDigits(fields.phone);
  }
  if (fields.company !== undefined) changes.company = fields.company?.trim() || null;
  if (fields.source !== undefined) changes.source = fields.source?.trim().toLowerCase() || null;
  if (fields.notes !== undefined) changes.notes = fields.notes?.trim() || null;
  if (fields.customFields !== undefined)
    changes.customFields = { ...lead.customFields, ...fields.customFields };
  const [updated] = await tx.update(leads).set(changes).where(eq(leads.id, id)).returning();
  return leadView(await rescore(tx, updated ?? lead));
}

/**
 * Moves a lead along the pipeline. `lost` needs a reason; a won lead is final (it became a
 * customer); a lost one may be reopened. The change is logged on the lead's timeline and published.
 */
export async function setStage(
  tx: Tx,
  ctx: CallContext,
  id: string,
  stage: LeadStage,
  reason: string | undefined,
) {
  const lead = await findLead(tx, id);
  if (lead.stage === stage) return leadView(lead);
  if (lead.stage === 'won')
    throw new AppError('conflict', `${lead.name} was won; a won lead stays won.`, { field: 'stage' });
  if (stage === 'lost' && !reason?.trim())
    throw new AppError('bad_request', 'reason: say why the lead was lost.', { field: 'reason' });
  const [updated] = await tx
    .update(leads)
    .set({ stage, lostReason: stage === 'lost' ? (reason?.trim() ?? null) : null, updatedAt: new Date() })
    .where(eq(leads.id, id))
    .returning();
  await tx.insert(interactions).values({
    id: newId('interaction'),
    tenantId: lead.tenantId,
    leadId: lead.id,
    customerId: lead.customerId,
    kind: 'stage_change',
    summary: `Stage ${lead.stage} → ${stage}${stage === 'lost' && reason ? ` (${reason.trim()})` : ''}`,
    data: { from: lead.stage, to: stage, reason: reason ?? null },
    actorId: ctx.userId,
  });
  await emitEvent(tx, ctx, {
    tenantId: lead.tenantId,
    name: 'crm.lead_stage_changed',
    payload: { leadId: lead.id, name: lead.name, from: lead.stage, to: stage, reason: reason ?? null },
  });
  return leadView(await rescore(tx, updated ?? lead));
}

export async function assignOwner(tx: Tx, id: string, ownerId: string) {
  await findLead(tx, id);
  const [updated] = await tx
    .update(leads)
    .set({ ownerId, updatedAt: new Date() })
    .where(eq(leads.id, id))
    .returning();
  if (!updated) throw new AppError('not_found', `No lead ${id}.`, { field: 'lead' });
  return leadView(updated);
}
