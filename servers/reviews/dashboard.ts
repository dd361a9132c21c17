import { and, desc, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import { rowsOf, type Tx } from '../../core/db/connection.ts';
import { reviews } from './schema.ts';
import { type ReviewFilters, reviewConditions } from './search.ts';

export type Interval = 'week' | 'month';

const UNANSWERED_NEGATIVE_SHOWN = 10;
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

interface SeriesRow {
  period: string;
  source: string;
  location: string;
  count: number;
  average: number;
}

interface SummaryRow {
  count: number;
  average: number | null;
  r1: number;
  r2: number;
  r3: number;
  r4: number;
  r5: number;
  answered: number;
  median_seconds: number | null;
}

const where = (condition: SQL | undefined) => (condition ? sql`where ${condition}` : sql``);

/**
 * Average rating and count per period (weeks start on Monday; periods are calendar weeks or
 * months in the caller's time zone), source and location.
 */
async function series(tx: Tx, condition: SQL | undefined, interval: Interval, timezone: string) {
  // `interval` is one of two literals (validated by the tool), so it may be spelled into the SQL.
  const result = await tx.execute(sql`
    select to_char(date_trunc(${sql.raw(`'${interval}'`)}, ${reviews.createTime} at time zone ${timezone}), 'YYYY-MM-DD') as period,
           ${reviews.source} as source, ${reviews.location} as location,
           count(*)::int as count, avg(${reviews.rating})::float8 as average
    from ${reviews} ${where(condition)}
    group by 1, 2, 3
    order by 1, 2, 3`);
  return rowsOf<SeriesRow>(result).map((r) => ({
    period: r.period,
    source: r.source,
    location: r.location,
    count: Number(r.count),
    averageRating: round(Number(r.average), 2),
  }));
}

/**
 * Totals, the star distribution, the response rate (published replies over reviews) and the
 * median time from a review to its published reply.
 */
async function summary(tx: Tx, condition: SQL | undefined) {
  const result = await tx.execute(sql`
    select count(*)::int as count, avg(${reviews.rating})::float8 as average,
           count(*) filter (where ${reviews.rating} = 1)::int as r1,
           count(*) filter (where ${reviews.rating} = 2)::int as r2,
           count(*) filter (where ${reviews.rating} = 3)::int as r3,
           count(*) filter (where ${reviews.rating} = 4)::int as r4,
           count(*) filter (where ${reviews.rating} = 5)::int as r5,
           count(*) filter (where ${reviews.replyState} = 'published')::int as answered,
           (percentile_cont(0.5) within group (
              order by extract(epoch from ${reviews.replyUpdatedAt} - ${reviews.createTime})
            ) filter (where ${reviews.replyState} = 'published' and ${reviews.replyUpdatedAt} is not null))::float8
             as median_seconds
    from ${reviews} ${where(condition)}`);
  const row = rowsOf<SummaryRow>(result)[0];
  const count = Number(row?.count ?? 0);
  const answered = Number(row?.answered ?? 0);
  const median =
    row?.median_seconds === null || row?.median_seconds === undefined ? null : Number(row.median_seconds);
  return {
    count,
    averageRating: count && row?.average !== null ? round(Number(row?.average), 2) : null,
    distribution: {
      1: Number(row?.r1 ?? 0),
      2: Number(row?.r2 ?? 0),
      3: Number(row?.r3 ?? 0),
      4: Number(row?.r4 ?? 0),
      5: Number(row?.r5 ?? 0),
    },
    answered,
    responseRate: count ? round(answered / count, 4) : null,
    medianResponseHours: median === null ? null : round(median / 3600, 2),
  };
}

/** Negative reviews (≤ 2 stars or negative sentiment) without a published reply, newest first. */
async function unansweredNegative(tx: Tx, condition: SQL | undefined) {
  const negative = and(
    condition,
    ne(reviews.replyState, 'published'),
    or(lte(reviews.rating, 2), sql`${reviews.sentimentLabel} = 'negative'`),
  );
  const [total] = await tx.select({ n: sql<number>`count(*)::int` }).from(reviews).where(negative);
  const rows = await tx
    .select({
      id: reviews.id,
      source: reviews.source,
      location: reviews.location,
      rating: reviews.rating,
      reviewer: reviews.reviewerName,
      comment: reviews.comment,
      createTime: reviews.createTime,
      replyState: reviews.replyState,
    })
    .from(reviews)
    .where(negative)
    .orderBy(desc(reviews.createTime), desc(reviews.id))
    .limit(UNANSWERED_NEGATIVE_SHOWN);
  return {
    count: Number(total?.n ?? 0),
    items: rows.map((r) => ({ ...r, createTime: r.createTime.toISOString() })),
  };
}

/** The reputation dashboard's data for the reviews the caller can see, filtered. */
export async function reputationDashboard(
  tx: Tx,
  ctx: CallContext,
  filters: Pick<ReviewFilters, 'from' | 'to' | 'location' | 'source'>,
  interval: Interval,
) {
  const condition = reviewConditions(filters);
  return {
    interval,
    timezone: ctx.timezone,
    ...(await summary(tx, condition)),
    series: await series(tx, condition, interval, ctx.timezone),
    unansweredNegative: await unansweredNegative(tx, condition),
  };
}
