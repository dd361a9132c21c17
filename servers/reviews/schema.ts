import { index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenantIsolation } from '../../core/db/policies.ts';

export const REVIEW_SOURCES = ['google', 'facebook', 'yelp', 'trustpilot', 'manual'] as const;
export type ReviewSource = (typeof REVIEW_SOURCES)[number];
export type ReplyState = 'none' | 'draft' | 'approved' | 'published';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** A review, shaped after the Google Business Profile review: reviewer, stars, comment, times, reply. */
export const reviews = pgTable(
  'reviews',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    source: text('source').$type<ReviewSource>().notNull(),
    /** The source's own review id: ingesting the same review twice updates it. */
    externalId: text('external_id').notNull(),
    location: text('location').notNull().default('main'),
    reviewerName: text('reviewer_name').notNull(),
    reviewerEmail: text('reviewer_email'),
    rating: integer('rating').notNull(),
    comment: text('comment'),
    createTime: timestamp('create_time', { withTimezone: true }).notNull(),
    updateTime: timestamp('update_time', { withTimezone: true }).notNull(),
    replyText: text('reply_text'),
    replyState: text('reply_state').$type<ReplyState>().notNull().default('none'),
    replyUpdatedAt: timestamp('reply_updated_at', { withTimezone: true }),
    replyBy: text('reply_by'),
    sentiment: real('sentiment').notNull().default(0),
    sentimentLabel: text('sentiment_label')
      .$type<'positive' | 'neutral' | 'negative'>()
      .notNull()
      .default('neutral'),
    /** `lexicon` when computed here, `model` when a configured model overrode it. */
    sentimentBy: text('sentiment_by').notNull().default('lexicon'),
    topics: jsonb('topics').$type<string[]>().notNull().default([]),
    customerId: text('customer_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('reviews_source_external_key').on(t.tenantId, t.source, t.externalId),
    index('reviews_tenant_time_idx').on(t.tenantId, t.createTime),
    tenantIsolation('reviews', t.tenantId),
  ],
);

export const replyTemplates = pgTable(
  'reply_templates',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    /** Text with placeholders: {reviewer}, {business}, {rating}. */
    body: text('body').notNull(),
    minRating: integer('min_rating').notNull().default(1),
    maxRating: integer('max_rating').notNull().default(5),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('reply_templates_tenant_name_key').on(t.tenantId, t.name),
    tenantIsolation('reply_templates', t.tenantId),
  ],
);

/** A request to a customer to leave a review (a campaign sends many). */
export const reviewRequests = pgTable(
  'review_requests',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    campaign: text('campaign').notNull(),
    customerId: text('customer_id').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    source: text('source').$type<ReviewSource>().notNull(),
    status: text('status').$type<'queued' | 'sent' | 'skipped'>().notNull().default('queued'),
    reason: text('reason'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('review_requests_campaign_idx').on(t.tenantId, t.campaign),
    tenantIsolation('review_requests', t.tenantId),
  ],
);

/** Per tenant and source: the secret a review webhook signs its body with (HMAC-SHA256), stored encrypted. */
export const reviewWebhookKeys = pgTable(
  'review_webhook_keys',
  {
    tenantId: text('tenant_id').notNull(),
    source: text('source').$type<ReviewSource>().notNull(),
    secret: text('secret').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('review_webhook_keys_key').on(t.tenantId, t.source),
    tenantIsolation('review_webhook_keys', t.tenantId),
  ],
);
