import type { customers, interactions, leads } from './schema.ts';

export function leadView(lead: typeof leads.$inferSelect) {
  return {
    id: lead.id,
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    source: lead.source,
    notes: lead.notes,
    customFields: lead.customFields,
    stage: lead.stage,
    lostReason: lead.lostReason,
    ownerId: lead.ownerId,
    score: lead.score,
    scoreSignals: lead.scoreSignals,
    customerId: lead.customerId,
    tenantId: lead.tenantId,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
}

export function customerView(customer: typeof customers.$inferSelect) {
  return {
    id: customer.id,
    kind: customer.kind,
    name: customer.name,
    email: customer.email,
    phone: customer.phone,
    company: customer.company,
    leadId: customer.leadId,
    tenantId: customer.tenantId,
    createdAt: customer.createdAt.toISOString(),
  };
}

export function interactionView(item: typeof interactions.$inferSelect) {
  return {
    id: item.id,
    kind: item.kind,
    summary: item.summary,
    body: item.body,
    leadId: item.leadId,
    customerId: item.customerId,
    dueAt: item.dueAt?.toISOString() ?? null,
    doneAt: item.doneAt?.toISOString() ?? null,
    data: item.data,
    actorId: item.actorId,
    occurredAt: item.occurredAt.toISOString(),
  };
}
