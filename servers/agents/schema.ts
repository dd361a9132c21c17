import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { ownerOnly, tenantIsolation } from '../../core/db/policies.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** A tenant's own agents (the built-in ones live in code): instructions, allowed tools, model. */
export const agentDefinitions = pgTable(
  'agent_definitions',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    title: text('title').notNull(),
    instructions: text('instructions').notNull(),
    /** Tool name patterns (`users_*`, `audit_user_timeline`); the caller's own tools narrowed by these. */
    allowedTools: jsonb('allowed_tools').$type<string[]>().notNull(),
    model: text('model'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('agent_definitions_tenant_name_key').on(t.tenantId, t.name),
    tenantIsolation('agent_definitions', t.tenantId),
  ],
);

export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    agent: text('agent').notNull(),
    title: text('title').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('conversations_user_idx').on(t.userId, t.updatedAt),
    ownerOnly('conversations', t.userId, t.tenantId),
  ],
);

/** Messages as the chat UI holds them (AI SDK UI messages: text, tool calls, approvals). */
export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    role: text('role').$type<'user' | 'assistant' | 'system'>().notNull(),
    parts: jsonb('parts').$type<unknown[]>().notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>(),
    position: integer('position').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('messages_conversation_position_key').on(t.conversationId, t.position),
    ownerOnly('messages', t.userId, t.tenantId),
  ],
);

/** A person's agent settings: whether every write (not only destructive ones) waits for approval. */
export const agentSettings = pgTable(
  'agent_settings',
  {
    userId: text('user_id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    approveWrites: boolean('approve_writes').notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [ownerOnly('agent_settings', t.userId, t.tenantId)],
);

/** Metering: one row per agent run (read by billing). */
export const agentUsage = pgTable(
  'agent_usage',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    agent: text('agent').notNull(),
    model: text('model').notNull(),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    toolCalls: integer('tool_calls').notNull().default(0),
    conversationId: text('conversation_id'),
    taskRunId: text('task_run_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('agent_usage_tenant_idx').on(t.tenantId, t.createdAt),
    tenantIsolation('agent_usage', t.tenantId),
  ],
);

/** Automation: an agent instruction run as its owner on a schedule (cron) or when a domain event happens. */
export const tasks = pgTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    ownerId: text('owner_id').notNull(),
    name: text('name').notNull(),
    agent: text('agent').notNull(),
    instruction: text('instruction').notNull(),
    /** A cron expression (5 fields, or 6 with seconds), evaluated in `timezone`. */
    schedule: text('schedule'),
    timezone: text('timezone').notNull().default('UTC'),
    /** A domain event name, e.g. `users.user_created`. */
    event: text('event'),
    enabled: boolean('enabled').notNull().default(true),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('tasks_due_idx').on(t.enabled, t.nextRunAt),
    index('tasks_event_idx').on(t.event),
    tenantIsolation('tasks', t.tenantId),
  ],
);

export const taskRuns = pgTable(
  'task_runs',
  {
    id: text('id').primaryKey(),
    taskId: text('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    tenantId: text('tenant_id').notNull(),
    trigger: text('trigger').$type<'schedule' | 'event' | 'manual'>().notNull(),
    eventId: text('event_id'),
    status: text('status').$type<'queued' | 'running' | 'succeeded' | 'failed'>().notNull().default('queued'),
    attempt: integer('attempt').notNull().default(0),
    reply: text('reply'),
    toolCalls: jsonb('tool_calls').$type<unknown[]>().notNull().default([]),
    error: text('error'),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('task_runs_task_idx').on(t.taskId, t.queuedAt), tenantIsolation('task_runs', t.tenantId)],
);
