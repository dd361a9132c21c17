import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../core/db/connection.ts';
import { domainEvents } from '../../core/events/schema.ts';
import { newId } from '../../core/ids.ts';
import { enqueueJob } from '../../core/jobs/queue.ts';
import { taskRuns, tasks } from '../../servers/agents/schema.ts';

/**
 * The automation's own bookkeeping of task runs. It runs on the owner connection, outside any
 * caller's tenant scope: it serves every tenant, and the job queue is closed to the application role.
 */

/** The job kind that runs one task run. */
export const TASK_RUN_JOB = 'task.run';

export type TaskRow = typeof tasks.$inferSelect;
export type RunRow = typeof taskRuns.$inferSelect;
export type RunUpdate = Partial<Pick<RunRow, 'status' | 'attempt' | 'reply' | 'toolCalls' | 'error'>> & {
  startedAt?: Date | null;
  finishedAt?: Date | null;
};

/** Gives a queued run its job, due at `now`, in the caller's transaction: a run is queued exactly when its job is. */
export async function enqueueRun(tx: Tx, run: Pick<RunRow, 'id' | 'tenantId'>, now: Date): Promise<void> {
  await enqueueJob(tx, {
    tenantId: run.tenantId,
    kind: TASK_RUN_JOB,
    payload: { taskRunId: run.id },
    runAt: now,
  });
}

/** A new queued run of a task with its job, in the caller's transaction. */
export async function queueRun(
  tx: Tx,
  task: Pick<TaskRow, 'id' | 'tenantId'>,
  trigger: RunRow['trigger'],
  now: Date,
  eventId: string | null = null,
): Promise<string> {
  const id = newId('taskRun');
  await tx.insert(taskRuns).values({ id, taskId: task.id, tenantId: task.tenantId, trigger, eventId });
  await enqueueRun(tx, { id, tenantId: task.tenantId }, now);
  return id;
}

/** A run with its task, and the event that triggered it; undefined once the task was deleted. */
export async function loadRun(db: Db, runId: string) {
  const [row] = await db
    .select({ run: taskRuns, task: tasks })
    .from(taskRuns)
    .innerJoin(tasks, eq(tasks.id, taskRuns.taskId))
    .where(eq(taskRuns.id, runId));
  if (!row) return undefined;
  const [event] = row.run.eventId
    ? await db.select().from(domainEvents).where(eq(domainEvents.id, row.run.eventId))
    : [];
  return { ...row, event };
}

export async function updateRun(db: Db | Tx, runId: string, changes: RunUpdate): Promise<void> {
  await db.update(taskRuns).set(changes).where(eq(taskRuns.id, runId));
}
