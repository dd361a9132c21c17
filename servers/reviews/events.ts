import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { emitEvent } from '../../core/events/emit.ts';
import type { ReviewRow } from './views.ts';

/** The domain events the reviews server emits, for task automation and notifications. */
export const REVIEW_EVENTS = {
  /** A new review arrived (by the tool or a webhook). */
  received: 'reviews.review_received',
  /** A review arrived negative, or an update made it negative (≤ 2 stars or negative sentiment). */
  negativeReceived: 'reviews.negative_received',
  /** A reply was published: what a connector posts back to the source. */
  replyPublished: 'reviews.reply_published',
} as const;

const COMMENT_IN_EVENT = 500;

function reviewPayload(r: ReviewRow) {
  return {
    reviewId: r.id,
    source: r.source,
    location: r.location,
    rating: r.rating,
    reviewer: r.reviewerName,
    comment: r.comment ? r.comment.slice(0, COMMENT_IN_EVENT) : null,
  };
}

/** Records a review event in the caller's transaction (published only if the change commits). */
export function emitReviewEvent(
  tx: Tx,
  ctx: CallContext,
  name: (typeof REVIEW_EVENTS)[keyof typeof REVIEW_EVENTS],
  review: ReviewRow,
  extra: Record<string, unknown> = {},
) {
  return emitEvent(tx, ctx, {
    tenantId: review.tenantId,
    name,
    payload: { ...reviewPayload(review), ...extra },
  });
}
