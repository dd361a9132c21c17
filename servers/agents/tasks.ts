import { CronExpressionParser } from 'cron-parser';
import { and, count, desc, eq, ilike, type SQL } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { emitEvent } from '../../core/events/emit.ts';
import { DOMAIN_EVENTS } from '../../core/events/names.ts';
import { formatForUser } from '../../core/format-date.ts';
import { isId, newId } from '../../core/ids.ts';
import { roleHas } from '../../core/roles.ts';
import { DEFAULT_AGENT } from './builtin.ts';
import { getAgent } from './definitions.ts';
import { taskRuns, tasks } from './schema.ts';

/**
 * Task automation, the owner's side: an agent instruction run as its owner on a schedule (cron)
 * or when a domain event happens. The automation loop (agents/automation/) fires and runs them.
 */

/** The domain events a task can wait for: the one list, with what each means (later domains add theirs). */
export const TASK_EVENTS = DOMAIN_EVENTS;
export type TaskEvent = keyof typeof TASK_EVENTS;
export const TASK_EVENT_NAMES = Object.keys(TASK_EVENTS) as [TaskEvent, ...TaskEvent[]];

/**
 * Emitted by `agents_run_task`: the run row is written here, as the caller (row-level security),
 * and the automation loop, which alone may write the job queue, gives it its job when it takes
 * the event from the outbox. Not something a task can wait for.
 */
export const RUN_REQUESTED_EVENT = 'agents.task_run_requested';

type TaskRow = typeof tasks.$inferSelect;
type RunRow = typeof taskRuns.$inferSelect;

const badField = (field: string, message: string) =>
  new AppError('bad_request', `${field}: ${message}`, { field });

/** The canonical IANA name of a time zone (`europe/paris` → `Europe/Paris`), or undefined. */
export function canonicalTimeZone(name: string): string | undefined {
  // Offsets such as +02:00 are not zones: they ignore daylight saving time.
  if (!/^[A-Za-z]/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * The first time after `after` a cron schedule fires in a time zone; null when it never fires
 * again. Throws bad_request naming `schedule` for an expression that is not valid or fires more
 * often than once a minute.
 */
export function nextRunAfter(schedule: string, timezone: string, after: Date): Date | null {
  let expression: ReturnType<typeof CronExpressionParser.parse>;
  try {
    expression = CronExpressionParser.parse(schedule, { currentDate: after, tz: timezone });
  } catch (error) {
    throw badField(
      'schedule',
      `"${schedule}" is not a cron expression (${(error as Error).message}); use 5 fields, minute hour ` +
        'day-of-month month day-of-week, e.g. "0 9 * * 1-5" for 9:00 on weekdays',
    );
  }
  // A sixth (seconds) field may name one second per minute, never several.
  if (expression.fields.second.values.length > 1)
    throw badField(
      'schedule',
      `"${schedule}" fires more than once a minute; the most a task may run is once a minute`,
    );
  try {
    return expression.hasNext() ? expression.next().toDate() : null;
  } catch {
    return null;
  }
}

function resolveTimeZone(given: string | undefined, ctx: CallContext): string {
  if (given === undefined) return canonicalTimeZone(ctx.timezone) ?? 'UTC';
  const zone = canonicalTimeZone(given);
  if (!zone)
    throw badField('timezone', `"${given}" is not an IANA time zone name such as Europe/Paris or UTC`);
  return zone;
}

function firstRun(schedule: string, timezone: string, now: Date): Date {
  const next = nextRunAfter(schedule, timezone, now);
  if (!next) throw badField('schedule', `"${schedule}" never fires`);
  return next;
}

const mayManage = (ctx: CallContext) => roleHas(ctx.role, 'agents.manage');

function taskView(row: TaskRow, ctx: CallContext) {
  return {
    id: row.id,
    name: row.name,
    owner: row.ownerId,
    agent: row.agent,
    instruction: row.instruction,
    trigger: row.schedule ? ('schedule' as const) : ('event' as const),
    schedule: row.schedule,
    timezone: row.timezone,
    event: row.event,
    enabled: row.enabled,
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    nextRunAtLocal: row.nextRunAt
      ? formatForUser(row.nextRunAt, { timezone: row.timezone, language: ctx.language })
      : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type TaskView = ReturnType<typeof taskView>;

function runView(row: RunRow) {
  const toolCalls = row.toolCalls as { name?: string; awaitingApproval?: boolean }[];
  return {
    id: row.id,
    task: row.taskId,
    trigger: row.trigger,
    event: row.eventId,
    status: row.status,
    attempt: row.attempt,
    reply: row.reply,
    toolCalls: row.toolCalls,
    /** Calls the agent asked for that were not run: a task never approves its own destructive calls. */
    awaitingApproval: toolCalls.filter((c) => c.awaitingApproval).map((c) => c.name),
    error: row.error,
    queuedAt: row.queuedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export interface CreateTaskInput {
  name: string;
  instruction: string;
  agent?: string | undefined;
  schedule?: string | undefined;
  timezone?: string | undefined;
  event?: TaskEvent | undefined;
  enabled?: boolean | undefined;
}

function exactlyOneTrigger(schedule: string | undefined, event: string | undefined): void {
  if ((schedule === undefined) !== (event === undefined)) return;
  const message =
    schedule === undefined
      ? 'give schedule (a cron expression) or event (what happened), one of the two'
      : 'give schedule or event, not both: a task runs on a schedule or when an event happens';
  throw new AppError('bad_request', `schedule, event: ${message}`, {
    fields: [
      { field: 'schedule', message },
      { field: 'event', message },
    ],
  });
}

/** A new task in the caller's tenant, owned by the caller; it will run with the caller's rights. */
export async function createTask(tx: Tx, ctx: CallContext, input: CreateTaskInput, now = new Date()) {
  exactlyOneTrigger(input.schedule, input.event);
  const timezone = resolveTimeZone(input.timezone, ctx);
  const agent = (await getAgent(tx, ctx, input.agent ?? DEFAULT_AGENT)).name;
  const enabled = input.enabled ?? true;
  const next = input.schedule ? firstRun(input.schedule, timezone, now) : null;
  const [row] = await tx
    .insert(tasks)
    .values({
      id: newId('task'),
      tenantId: ctx.tenantId,
      ownerId: ctx.userId,
      name: input.name,
      agent,
      instruction: input.instruction,
      schedule: input.schedule ?? null,
      timezone,
      event: input.event ?? null,
      enabled,
      nextRunAt: enabled ? next : null,
    })
    .returning();
  if (!row) throw new AppError('internal', 'The task was not created.');
  return taskView(row, ctx);
}

/** Tasks of the caller's tenant: all of them for those who manage agents, otherwise the caller's own. */
export async function listTasks(tx: Tx, ctx: CallContext) {
  const conditions: SQL[] = [eq(tasks.tenantId, ctx.tenantId)];
  if (!mayManage(ctx)) conditions.push(eq(tasks.ownerId, ctx.userId));
  const rows = await tx
    .select()
    .from(tasks)
    .where(and(...conditions))
    .orderBy(tasks.name, tasks.id);
  return rows.map((row) => taskView(row, ctx));
}

/**
 * A task the caller may act on, by id or by name: their own, or any of their tenant's when they
 * manage agents. Others' tasks are "not found", so their existence does not leak.
 */
async function resolveTask(tx: Tx, ctx: CallContext, ref: string): Promise<TaskRow> {
  const conditions: SQL[] = [eq(tasks.tenantId, ctx.tenantId)];
  if (!mayManage(ctx)) conditions.push(eq(tasks.ownerId, ctx.userId));
  const byRef = isId('task', ref)
    ? eq(tasks.id, ref)
    : ilike(
        tasks.name,
        ref.replace(/[\\%_]/g, (c) => `\\${c}`),
      );
  const rows = await tx
    .select()
    .from(tasks)
    .where(and(...conditions, byRef))
    .limit(10);
  const own = rows.filter((r) => r.ownerId === ctx.userId);
  const candidates = own.length ? own : rows;
  const [task] = candidates;
  if (!task) throw new AppError('not_found', `You have no task "${ref}".`, { field: 'task' });
  if (candidates.length > 1)
    throw new AppError(
      'bad_request',
      `task: several tasks are named "${ref}" (${candidates.map((c) => c.id).join(', ')}); give the id`,
      { field: 'task' },
    );
  return task;
}

export interface UpdateTaskInput {
  task: string;
  name?: string | undefined;
  instruction?: string | undefined;
  agent?: string | undefined;
  schedule?: string | undefined;
  timezone?: string | undefined;
  event?: TaskEvent | undefined;
  enabled?: boolean | undefined;
}

/**
 * Changes a task. Only its owner changes what it does (it runs with the owner's rights, so nobody
 * else may put words in its mouth); those who manage agents may also turn it on or off.
 */
export async function updateTask(tx: Tx, ctx: CallContext, input: UpdateTaskInput, now = new Date()) {
  const task = await resolveTask(tx, ctx, input.task);
  const { task: _ref, enabled, ...what } = input;
  const changesWhat = Object.values(what).some((v) => v !== undefined);
  if (!changesWhat && enabled === undefined)
    throw new AppError(
      'bad_request',
      'Name at least one thing to change: name, instruction, agent, schedule, timezone, event or enabled.',
    );
  if (changesWhat && task.ownerId !== ctx.userId)
    throw new AppError(
      'forbidden',
      'Only the task’s owner can change what it does; you may turn it on or off, run it or delete it.',
    );
  if (input.schedule !== undefined && input.event !== undefined)
    exactlyOneTrigger(input.schedule, input.event);

  const changes: Partial<typeof tasks.$inferInsert> = { updatedAt: now };
  if (input.name !== undefined) changes.name = input.name;
  if (input.instruction !== undefined) changes.instruction = input.instruction;
  if (input.agent !== undefined) changes.agent = (await getAgent(tx, ctx, input.agent)).name;
  if (input.timezone !== undefined) changes.timezone = resolveTimeZone(input.timezone, ctx);
  if (input.schedule !== undefined) Object.assign(changes, { schedule: input.schedule, event: null });
  if (input.event !== undefined) Object.assign(changes, { event: input.event, schedule: null });
  if (enabled !== undefined) changes.enabled = enabled;

  const after = { ...task, ...changes } as TaskRow;
  const timing = input.schedule !== undefined || input.timezone !== undefined || input.event !== undefined;
  // A new schedule is checked even on a task that stays off; a task switched back on starts from
  // now, so what it missed while off does not all fire at once.
  const next =
    after.schedule && (timing || !task.enabled || !task.nextRunAt)
      ? firstRun(after.schedule, after.timezone, now)
      : undefined;
  if (!after.enabled || !after.schedule) changes.nextRunAt = null;
  else if (next) changes.nextRunAt = next;

  const [row] = await tx.update(tasks).set(changes).where(eq(tasks.id, task.id)).returning();
  if (!row) throw new AppError('not_found', `The task ${task.id} disappeared while being changed.`);
  return taskView(row, ctx);
}

/** Deletes a task and its run history (its owner, or those who manage agents). */
export async function deleteTask(tx: Tx, ctx: CallContext, ref: string) {
  const task = await resolveTask(tx, ctx, ref);
  await tx.delete(tasks).where(eq(tasks.id, task.id));
  return { deleted: task.id, name: task.name };
}

/** Queues a run of the task now; the automation loop gives it a job and runs it as the task's owner. */
export async function requestRun(tx: Tx, ctx: CallContext, ref: string) {
  const task = await resolveTask(tx, ctx, ref);
  const [run] = await tx
    .insert(taskRuns)
    .values({ id: newId('taskRun'), taskId: task.id, tenantId: task.tenantId, trigger: 'manual' })
    .returning();
  if (!run) throw new AppError('internal', 'The run was not queued.');
  await emitEvent(tx, ctx, {
    tenantId: task.tenantId,
    name: RUN_REQUESTED_EVENT,
    payload: { taskRunId: run.id },
  });
  return { task: taskView(task, ctx), run: runView(run) };
}

/** A task's runs, newest first, with each run's reply and tool calls. */
export async function listRuns(tx: Tx, ctx: CallContext, ref: string, page: number, pageSize: number) {
  const task = await resolveTask(tx, ctx, ref);
  const where = eq(taskRuns.taskId, task.id);
  const rows = await tx
    .select()
    .from(taskRuns)
    .where(where)
    .orderBy(desc(taskRuns.queuedAt), desc(taskRuns.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [total] = await tx.select({ n: count() }).from(taskRuns).where(where);
  return { task: taskView(task, ctx), items: rows.map(runView), page, pageSize, total: total?.n ?? 0 };
}
