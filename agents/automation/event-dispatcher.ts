import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../core/db/connection.ts';
import { domainEvents } from '../../core/events/schema.ts';
import { taskRuns, tasks } from '../../servers/agents/schema.ts';
import { RUN_REQUESTED_EVENT } from '../../servers/agents/tasks.ts';
import { enqueueRun, queueRun } from './runs.ts';

type EventRow = typeof domainEvents.$inferSelect;

/** Events taken from the outbox per transaction. */
const BATCH = 50;

/**
 * Takes domain events from the outbox, oldest first, a batch per transaction: each event queues a
 * run of every enabled task of its tenant waiting for it and is marked dispatched in that same
 * transaction, so an event starts its tasks exactly once, even with several processes dispatching
 * (a batch one of them holds is skipped by the others).
 */
export async function dispatchEvents(db: Db, now: Date, limit = 1000): Promise<number> {
  let dispatched = 0;
  while (dispatched < limit) {
    const handled = await db.transaction(async (tx) => {
      const events = await tx
        .select()
        .from(domainEvents)
        .where(isNull(domainEvents.dispatchedAt))
        .orderBy(asc(domainEvents.createdAt), asc(domainEvents.id))
        .limit(Math.min(BATCH, limit - dispatched))
        .for('update', { skipLocked: true });
      for (const event of events) {
        if (event.name === RUN_REQUESTED_EVENT) await enqueueRequestedRun(tx, event, now);
        else await startSubscribedTasks(tx, event, now);
      }
      if (events.length)
        await tx
          .update(domainEvents)
          .set({ dispatchedAt: now })
          .where(
            inArray(
              domainEvents.id,
              events.map((e) => e.id),
            ),
          );
      return events.length;
    });
    if (!handled) break;
    dispatched += handled;
  }
  return dispatched;
}

async function startSubscribedTasks(tx: Tx, event: EventRow, now: Date): Promise<void> {
  // What a task run caused starts no event task: a task inviting users on users.user_created would
  // otherwise start itself forever.
  if (event.payload.causedByTask === true) return;
  const subscribed = await tx
    .select({ id: tasks.id, tenantId: tasks.tenantId })
    .from(tasks)
    .where(and(eq(tasks.tenantId, event.tenantId), eq(tasks.event, event.name), eq(tasks.enabled, true)));
  for (const task of subscribed) await queueRun(tx, task, 'event', now, event.id);
}

/** A run `agents_run_task` queued: it gets its job now (unless its task was deleted meanwhile). */
async function enqueueRequestedRun(tx: Tx, event: EventRow, now: Date): Promise<void> {
  const runId = event.payload.taskRunId;
  if (typeof runId !== 'string') return;
  const [run] = await tx
    .select({ id: taskRuns.id, tenantId: taskRuns.tenantId })
    .from(taskRuns)
    .where(and(eq(taskRuns.id, runId), eq(taskRuns.status, 'queued')));
  if (run) await enqueueRun(tx, run, now);
}
