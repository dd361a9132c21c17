import { and, count, desc, eq, gte, ilike, lt, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../core/db/connection.ts';
import { invalidField } from './inputs.ts';
import { findReview } from './refs.ts';
import { type ReviewSource, reviews } from './schema.ts';
import type { SentimentLabel } from './sentiment.ts';
import { reviewView } from './views.ts';

export interface ReviewFilters {
  rating?: number | undefined;
  minRating?: number | undefined;
  maxRating?: number | undefined;
  source?: ReviewSource | undefined;
  location?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  unanswered?: boolean | undefined;
  sentiment?: SentimentLabel | undefined;
  topic?: string | undefined;
  query?: string | undefined;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The conditions of a filtered review list; "unanswered" means no reply is published yet. */
export function reviewConditions(f: ReviewFilters): SQL | undefined {
  if (f.minRating !== undefined && f.maxRating !== undefined && f.minRating > f.maxRating)
    throw invalidField('minRating', `must be at most maxRating (${f.maxRating})`);
  if (f.from && f.to && f.from >= f.to) throw invalidField('from', 'must be before to');
  const conditions: SQL[] = [];
  if (f.rating !== undefined) conditions.push(eq(reviews.rating, f.rating));
  if (f.minRating !== undefined) conditions.push(gte(reviews.rating, f.minRating));
  if (f.maxRating !== undefined) conditions.push(lte(reviews.rating, f.maxRating));
  if (f.source) conditions.push(eq(reviews.source, f.source));
  if (f.location) conditions.push(eq(reviews.location, f.location));
  if (f.from) conditions.push(gte(reviews.createTime, f.from));
  if (f.to) conditions.push(lt(reviews.createTime, f.to));
  if (f.unanswered === true) conditions.push(ne(reviews.replyState, 'published'));
  if (f.unanswered === false) conditions.push(eq(reviews.replyState, 'published'));
  if (f.sentiment) conditions.push(eq(reviews.sentimentLabel, f.sentiment));
  if (f.topic) conditions.push(sql`${reviews.topics} @> ${JSON.stringify([f.topic])}::jsonb`);
  if (f.query) {
    const p = `%${escapeLike(f.query)}%`;
    conditions.push(or(ilike(reviews.comment, p), ilike(reviews.reviewerName, p)) as SQL);
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** Reviews in the caller's scope, newest first, paged. */
export async function listReviews(
  tx: Tx,
  filters: ReviewFilters,
  paging: { page: number; pageSize: number },
) {
  const where = reviewConditions(filters);
  const rows = await tx
    .select()
    .from(reviews)
    .where(where)
    .orderBy(desc(reviews.createTime), desc(reviews.id))
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize);
  const [total] = await tx.select({ n: count() }).from(reviews).where(where);
  return { items: rows.map(reviewView), page: paging.page, pageSize: paging.pageSize, total: total?.n ?? 0 };
}

export async function getReview(tx: Tx, id: string) {
  return { review: reviewView(await findReview(tx, id)) };
}
