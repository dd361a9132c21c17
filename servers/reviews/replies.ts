import { eq } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { emitReviewEvent, REVIEW_EVENTS } from './events.ts';
import { invalidField } from './inputs.ts';
import { findReview, findTemplate } from './refs.ts';
import { type ReplyState, reviews } from './schema.ts';
import { fitsRating, placeholdersOf, renderTemplate } from './templates.ts';
import { type ReviewRow, reviewView } from './views.ts';

/**
 * A reply goes none → draft → approved → published. An agent drafts, a person approves, and
 * publishing (public, at the source) is a destructive tool, so an agent needs the person's
 * approval for it too. A published reply is not redrafted here.
 */

export type DraftSource =
  | { text: string }
  | {
      template: string;
      /** The name for {business}, when the caller gave one. */
      business: string | undefined;
      /** The caller's own organisation's name, used for reviews of that organisation. */
      ownBusiness: string | undefined;
    };
type TemplateSource = Exclude<DraftSource, { text: string }>;

async function setReply(tx: Tx, ctx: CallContext, review: ReviewRow, state: ReplyState, text?: string) {
  const [row] = await tx
    .update(reviews)
    .set({
      replyState: state,
      ...(text !== undefined ? { replyText: text } : {}),
      replyUpdatedAt: new Date(),
      replyBy: ctx.userId,
    })
    .where(eq(reviews.id, review.id))
    .returning();
  if (!row) throw new AppError('internal', 'The reply was not saved.');
  return row;
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/** The text a template gives for this review. */
async function textFromTemplate(
  tx: Tx,
  ctx: CallContext,
  review: ReviewRow,
  source: TemplateSource,
): Promise<string> {
  // The library of the review's own business first; a partner or staff member may use their own.
  const template = await findTemplate(tx, review.tenantId, source.template).catch((error) =>
    review.tenantId !== ctx.tenantId
      ? findTemplate(tx, ctx.tenantId, source.template)
      : Promise.reject(error),
  );
  if (!fitsRating(template, review.rating))
    throw new AppError(
      'conflict',
      `Template "${template.name}" is for ${template.minRating}–${template.maxRating} star reviews; this review has ${review.rating}.`,
      { field: 'template' },
    );
  const business = source.business ?? (review.tenantId === ctx.tenantId ? source.ownBusiness : undefined);
  if (placeholdersOf(template.body, 'template').has('business') && !business)
    throw invalidField('business', `template "${template.name}" uses {business}: give the business's name`);
  return renderTemplate(template.body, {
    reviewer: firstName(review.reviewerName),
    business: business ?? '',
    rating: String(review.rating),
  });
}

export async function draftReply(tx: Tx, ctx: CallContext, reviewId: string, source: DraftSource) {
  const review = await findReview(tx, reviewId, { forUpdate: true });
  if (review.replyState === 'published')
    throw new AppError('conflict', 'This review’s reply is already published.', { field: 'review' });
  const text = 'text' in source ? source.text : await textFromTemplate(tx, ctx, review, source);
  return { review: reviewView(await setReply(tx, ctx, review, 'draft', text)) };
}

export async function approveReply(tx: Tx, ctx: CallContext, reviewId: string) {
  const review = await findReview(tx, reviewId, { forUpdate: true });
  if (review.replyState === 'approved') return { review: reviewView(review), alreadyApproved: true };
  if (review.replyState !== 'draft')
    throw new AppError(
      'conflict',
      review.replyState === 'published'
        ? 'This review’s reply is already published.'
        : 'This review has no draft reply to approve; draft one first (reviews_draft_reply).',
      { field: 'review' },
    );
  return { review: reviewView(await setReply(tx, ctx, review, 'approved')), alreadyApproved: false };
}

/** Publishes an approved reply and emits `reviews.reply_published` for whatever posts it to the source. */
export async function publishReply(tx: Tx, ctx: CallContext, reviewId: string) {
  const review = await findReview(tx, reviewId, { forUpdate: true });
  if (review.replyState === 'published') return { review: reviewView(review), alreadyPublished: true };
  if (review.replyState !== 'approved')
    throw new AppError(
      'conflict',
      review.replyState === 'draft'
        ? 'The draft reply must be approved first (reviews_approve_reply).'
        : 'This review has no reply to publish; draft and approve one first.',
      { field: 'review' },
    );
  const published = await setReply(tx, ctx, review, 'published');
  await emitReviewEvent(tx, ctx, REVIEW_EVENTS.replyPublished, published, {
    externalId: published.externalId,
    reply: published.replyText,
  });
  return { review: reviewView(published), alreadyPublished: false };
}
