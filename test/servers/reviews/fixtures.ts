import { count, eq } from 'drizzle-orm';
import type { AppError } from '../../../core/errors.ts';
import { domainEvents } from '../../../core/events/schema.ts';
import {
  replyTemplates,
  reviewRequests,
  reviews,
  reviewWebhookKeys,
} from '../../../servers/reviews/schema.ts';
import type { World } from '../../support/world.ts';

/** What a review looks like as the tool and the views return it (the parts tests read). */
export interface ReviewItem {
  id: string;
  tenantId: string;
  source: string;
  externalId: string;
  location: string;
  reviewer: { name: string; email: string | null };
  rating: number;
  comment: string | null;
  createTime: string;
  updateTime: string;
  reply: { state: string; text: string | null; updatedAt: string | null; by: string | null };
  sentiment: { score: number; label: string; by: string };
  topics: string[];
  customerId: string | null;
}

export interface IngestResult {
  review: ReviewItem;
  created: boolean;
  stale: boolean;
  negative: boolean;
  loggedToCrm: boolean;
}

/** Calls a tool as a demo user through the gateway, the way every door does. */
export function caller(world: World) {
  return async <T = Record<string, unknown>>(
    email: string,
    tool: string,
    args: Record<string, unknown> = {},
  ) => (await world.platform.gateway.callTool(await world.as(email), tool, args)) as T;
}

/** Row counts of every reviews table and of the review events, read as the owner (no RLS). */
export async function footprint(world: World) {
  const db = world.database.db;
  const n = async (rows: Promise<{ n: number }[]>) => (await rows)[0]?.n ?? 0;
  return {
    reviews: await n(db.select({ n: count() }).from(reviews)),
    templates: await n(db.select({ n: count() }).from(replyTemplates)),
    requests: await n(db.select({ n: count() }).from(reviewRequests)),
    webhookKeys: await n(db.select({ n: count() }).from(reviewWebhookKeys)),
    events: await n(db.select({ n: count() }).from(domainEvents)),
  };
}

/** The domain events of one name, oldest first, read as the owner. */
export function eventsNamed(world: World, name: string) {
  return world.database.db
    .select()
    .from(domainEvents)
    .where(eq(domainEvents.name, name))
    .orderBy(domainEvents.createdAt);
}

/** A time `days` days before now, as ISO 8601. */
export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** The fields a bad_request names, in order. */
export function fieldsOf(error: AppError): string[] {
  const fields = error.details?.fields;
  return Array.isArray(fields) ? fields.map((f: { field: string }) => f.field) : [];
}
