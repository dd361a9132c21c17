import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { tenantIsolation } from '../db/policies.ts';

/**
 * Domain events, written in the same transaction as the change that caused them (an outbox):
 * an event exists exactly when its change committed. A dispatcher hands them to task automation.
 */
export const domainEvents = pgTable(
  'domain_events',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    /** `<domain>.<what happened>`, e.g. `users.user_created`. */
    name: text('name').notNull(),
    /** The user whose call caused it. */
    actorId: text('actor_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (t) => [
    index('domain_events_pending_idx').on(t.dispatchedAt, t.createdAt),
    tenantIsolation('domain_events', t.tenantId),
  ],
);
