import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { ownerOnly } from '../../core/db/policies.ts';

/** Facts a person asked to remember, or an agent saved, added to every agent's context for them. */
export const memories = pgTable(
  'memories',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    text: text('text').notNull(),
    source: text('source').$type<'user' | 'agent'>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('memories_user_idx').on(t.userId), ownerOnly('memories', t.userId, t.tenantId)],
);
