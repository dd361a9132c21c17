import { eq } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { emitReviewEvent, REVIEW_EVENTS } from './events.ts';
import { invalidField } from './inputs.ts';
import { findReview } from './refs.ts';
import { reviews } from './schema.ts';
import { isNegative, type SentimentLabel } from './sentiment.ts';
import { reviewView } from './views.ts';

const DEFAULT_SCORE: Record<SentimentLabel, number> = { positive: 0.5, neutral: 0, negative: -0.5 };

function scoreFits(label: SentimentLabel, score: number): boolean {
  if (label === 'positive') return score > 0;
  if (label === 'negative') return score < 0;
  return Math.abs(score) < 0.5;
}

/**
 * A model's (or a person's) reading of a review replaces the lexicon's: `sentimentBy` becomes
 * `model` and stays until the review's text changes. Turning a review negative alerts like an
 * arriving negative review does.
 */
export async function setSentiment(
  tx: Tx,
  ctx: CallContext,
  input: { review: string; label: SentimentLabel; score?: number | undefined; topics?: string[] | undefined },
) {
  const score = input.score ?? DEFAULT_SCORE[input.label];
  if (!scoreFits(input.label, score))
    throw invalidField('score', `${score} does not fit the label ${input.label}`);
  const review = await findReview(tx, input.review, { forUpdate: true });
  const [updated] = await tx
    .update(reviews)
    .set({
      sentiment: score,
      sentimentLabel: input.label,
      sentimentBy: 'model',
      ...(input.topics ? { topics: [...new Set(input.topics)] } : {}),
    })
    .where(eq(reviews.id, review.id))
    .returning();
  if (!updated) throw new AppError('internal', 'The sentiment was not saved.');
  if (isNegative(updated) && !isNegative(review))
    await emitReviewEvent(tx, ctx, REVIEW_EVENTS.negativeReceived, updated);
  return { review: reviewView(updated) };
}
