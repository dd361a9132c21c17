import type { replyTemplates, reviews } from './schema.ts';

export type ReviewRow = typeof reviews.$inferSelect;
export type TemplateRow = typeof replyTemplates.$inferSelect;

/** A review as tools return it. */
export function reviewView(r: ReviewRow) {
  return {
    id: r.id,
    tenantId: r.tenantId,
    source: r.source,
    externalId: r.externalId,
    location: r.location,
    reviewer: { name: r.reviewerName, email: r.reviewerEmail },
    rating: r.rating,
    comment: r.comment,
    createTime: r.createTime.toISOString(),
    updateTime: r.updateTime.toISOString(),
    reply: {
      state: r.replyState,
      text: r.replyText,
      updatedAt: r.replyUpdatedAt?.toISOString() ?? null,
      by: r.replyBy,
    },
    sentiment: { score: r.sentiment, label: r.sentimentLabel, by: r.sentimentBy },
    topics: r.topics,
    customerId: r.customerId,
  };
}

export function templateView(t: TemplateRow) {
  return {
    id: t.id,
    name: t.name,
    body: t.body,
    minRating: t.minRating,
    maxRating: t.maxRating,
    createdAt: t.createdAt.toISOString(),
  };
}
