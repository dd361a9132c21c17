import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { tenantIsolation } from '../../core/db/policies.ts';

export const LEAD_STAGES = ['new', 'contacted', 'qualified', 'proposal', 'won', 'lost'] as const;
export type LeadStage = (typeof LEAD_STAGES)[number];
export const INTERACTION_KINDS = [
  'note',
  'call',
  'email',
  'meeting',
  'task',
  'stage_change',
  'review',
  'billing',
] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/** One signal of a lead's score: what added how many points. */
export interface ScoreSignal {
  signal: string;
  points: number;
}

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const leads = pgTable(
  'leads',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    /** Digits only, for duplicate detection whatever the formatting. */
    phoneDigits: text('phone_digits'),
    company: text('company'),
    source: text('source'),
    notes: text('notes'),
    customFields: jsonb('custom_fields')
      .$type<Record<string, string | number | boolean>>()
      .notNull()
      .default({}),
    stage: text('stage').$type<LeadStage>().notNull().default('new'),
    lostReason: text('lost_reason'),
    ownerId: text('owner_id'),
    score: integer('score').notNull().default(0),
    scoreSignals: jsonb('score_signals').$type<ScoreSignal[]>().notNull().default([]),
    customerId: text('customer_id'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('leads_tenant_stage_idx').on(t.tenantId, t.stage),
    index('leads_tenant_email_idx').on(t.tenantId, t.email),
    index('leads_tenant_phone_idx').on(t.tenantId, t.phoneDigits),
    index('leads_tenant_created_idx').on(t.tenantId, t.createdAt),
    tenantIsolation('leads', t.tenantId),
  ],
);

/** People and companies a business works with: won leads, or created directly. */
export const customers = pgTable(
  'customers',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    kind: text('kind').$type<'person' | 'company'>().notNull().default('person'),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    company: text('company'),
    leadId: text('lead_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('customers_tenant_email_idx').on(t.tenantId, t.email),
    tenantIsolation('customers', t.tenantId),
  ],
);

/** The unified timeline: notes, calls, emails, meetings, tasks, stage changes, reviews, billing events. */
export const interactions = pgTable(
  'interactions',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    leadId: text('lead_id'),
    customerId: text('customer_id'),
    kind: text('kind').$type<InteractionKind>().notNull(),
    summary: text('summary').notNull(),
    body: text('body'),
    /** For tasks: when it is due, when it was done, and when its due event was emitted. */
    dueAt: timestamp('due_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    dueNotifiedAt: timestamp('due_notified_at', { withTimezone: true }),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    actorId: text('actor_id'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    index('interactions_customer_idx').on(t.customerId, t.occurredAt),
    index('interactions_lead_idx').on(t.leadId, t.occurredAt),
    index('interactions_due_idx').on(t.kind, t.dueAt),
    tenantIsolation('interactions', t.tenantId),
  ],
);
