import { and, eq } from 'drizzle-orm';
import { type CallContext, inTenantScope } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { emitReviewEvent, REVIEW_EVENTS } from './events.ts';
import { invalidField } from './inputs.ts';
import { type ReviewSource, reviews } from './schema.ts';
import { analyzeReview, isNegative } from './sentiment.ts';
import type { ReviewRow } from './views.ts';

export interface IngestInput {
  source: ReviewSource;
  externalId: string;
  location: string;
  reviewer: string;
  reviewerEmail?: string | undefined;
  rating: number;
  comment?: string | undefined;
  createTime: Date;
  updateTime: Date;
  /** A reply the business already posted at the source: it is public, so it counts as published. */
  reply?: { comment: string; updateTime: Date } | undefined;
  /** The CRM customer the reviewer's email belongs to, when one was found. */
  customerId?: string | undefined;
}

export interface IngestResult {
  review: ReviewRow;
  created: boolean;
  /** The source sent an older version than the one stored: nothing changed. */
  stale: boolean;
}

/** Reviews are written into the caller's own organisation, which must lie in their scope. */
export function assertOwnTenantWritable(ctx: CallContext): void {
  if (!inTenantScope(ctx, ctx.tenantId))
    throw new AppError(
      'forbidden',
      'Your own organisation is outside your tenant scope, so you cannot write its reviews.',
    );
}

function reviewFields(input: IngestInput) {
  return {
    location: input.location,
    reviewerName: input.reviewer,
    reviewerEmail: input.reviewerEmail?.toLowerCase() ?? null,
    rating: input.rating,
    comment: input.comment ?? null,
    createTime: input.createTime,
    updateTime: input.updateTime,
    ...(input.reply
      ? {
          replyText: input.reply.comment,
          replyState: 'published' as const,
          replyUpdatedAt: input.reply.updateTime,
          replyBy: `source:${input.source}`,
        }
      : {}),
    ...(input.customerId ? { customerId: input.customerId } : {}),
  };
}

/** The sentiment columns: the lexicon's, unless a model overrode them and the text is unchanged. */
function sentimentFields(input: IngestInput, existing: ReviewRow | undefined) {
  if (existing?.sentimentBy === 'model' && (existing.comment ?? null) === (input.comment ?? null)) return {};
  const analysis = analyzeReview(input.comment, input.rating);
  return {
    sentiment: analysis.score,
    sentimentLabel: analysis.label,
    sentimentBy: 'lexicon',
    topics: analysis.topics,
  };
}

/**
 * Stores a review, idempotent by the source's review id: the same review again updates the stored
 * one (unless it is older than what is stored). A review that arrives negative, or that an update
 * turns negative, emits `reviews.negative_received` in the same transaction.
 */
export async function ingestReview(tx: Tx, ctx: CallContext, input: IngestInput): Promise<IngestResult> {
  if (input.updateTime < input.createTime) throw invalidField('updateTime', 'must not be before createTime');
  const [inserted] = await tx
    .insert(reviews)
    .values({
      id: newId('review'),
      tenantId: ctx.tenantId,
      source: input.source,
      externalId: input.externalId,
      ...reviewFields(input),
      ...sentimentFields(input, undefined),
    })
    .onConflictDoNothing({ target: [reviews.tenantId, reviews.source, reviews.externalId] })
    .returning();
  if (inserted) {
    await emitReviewEvent(tx, ctx, REVIEW_EVENTS.received, inserted);
    if (isNegative(inserted)) await emitReviewEvent(tx, ctx, REVIEW_EVENTS.negativeReceived, inserted);
    return { review: inserted, created: true, stale: false };
  }

  const [existing] = await tx
    .select()
    .from(reviews)
    .where(
      and(
        eq(reviews.tenantId, ctx.tenantId),
        eq(reviews.source, input.source),
        eq(reviews.externalId, input.externalId),
      ),
    )
    .for('update');
  if (!existing) throw new AppError('internal', 'A review that conflicted on insert could not be read back.');
  if (input.updateTime < existing.updateTime) return { review: existing, created: false, stale: true };
  const [updated] = await tx
    .update(reviews)
    .set({ ...reviewFields(input), ...sentimentFields(input, existing) })
    .where(eq(reviews.id, existing.id))
    .returning();
  if (!updated) throw new AppError('internal', 'The review was not updated.');
  if (isNegative(updated) && !isNegative(existing))
    await emitReviewEvent(tx, ctx, REVIEW_EVENTS.negativeReceived, updated);
  return { review: updated, created: false, stale: false };
}
