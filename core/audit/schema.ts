import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgTable,
  real,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * One row per tool call, whatever door it came through. The application role may only
 * select and insert (see the migration that revokes update and delete): the log is append-only.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    requestId: text('request_id'),
    /** The tenant the action touched (the target's tenant, else the caller's). */
    tenantId: text('tenant_id'),
    /** The principal: who the call acted as. */
    userId: text('user_id'),
    /** Emails are kept as they were, so a record still reads right after a user is gone. */
    userEmail: text('user_email'),
    /** The real person behind an impersonated call. */
    impersonatorId: text('impersonator_id'),
    impersonatorEmail: text('impersonator_email'),
    via: text('via').notNull(),
    tool: text('tool').notNull(),
    target: text('target'),
    args: jsonb('args').$type<Record<string, unknown>>().notNull().default({}),
    /** `ok`, or the error code that ended the call. */
    outcome: text('outcome').notNull(),
    error: text('error'),
    durationMs: real('duration_ms').notNull().default(0),
    /** Hash chain (set by a trigger): each record's hash covers its content and the previous hash. */
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [
    index('audit_log_seq_idx').on(t.seq),
    index('audit_log_user_idx').on(t.userId, t.at),
    index('audit_log_impersonator_idx').on(t.impersonatorId, t.at),
    index('audit_log_tenant_idx').on(t.tenantId, t.at),
    pgPolicy('audit_log_read', {
      for: 'select',
      to: 'public',
      using: sql`bizosaas_tenant_visible(${t.tenantId}) or ${t.userId} = current_setting('app.user_id', true)
                 or ${t.impersonatorId} = current_setting('app.user_id', true)`,
    }),
    // A tenant-scoped transaction appends records of its own caller only (from the signed context).
    pgPolicy('audit_log_append', {
      for: 'insert',
      to: 'public',
      withCheck: sql`${t.userId} = current_setting('app.user_id', true)`,
    }),
  ],
);

/** The end of the audit hash chain: one row, locked by each insert so the chain has no forks. */
export const auditChainHead = pgTable('audit_chain_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});
