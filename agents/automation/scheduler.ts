import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import type { Db } from '../../core/db/connection.ts';
import type { Logger } from '../../core/logger.ts';
import { tasks } from '../../servers/agents/schema.ts';
import { nextRunAfter } from '../../servers/agents/tasks.ts';
import { queueRun } from './runs.ts';

/**
 * Fires scheduled tasks that are due: each in its own transaction that queues the run with its
 * job and moves `nextRunAt` on, so a crash either fires a task once or not at all, and two
 * processes never fire the same slot (the task row is locked, and skipped by the other).
 * A task that missed several slots (the platform was down) fires once, then keeps its schedule.
 */
export async function fireDueTasks(db: Db, log: Logger, now: Date, limit = 100): Promise<number> {
  let fired = 0;
  while (fired < limit) {
    const task = await db.transaction(async (tx) => {
      const [due] = await tx
        .select()
        .from(tasks)
        .where(and(eq(tasks.enabled, true), isNotNull(tasks.schedule), lte(tasks.nextRunAt, now)))
        .orderBy(asc(tasks.nextRunAt))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!due?.schedule) return undefined;
      let next: Date | null = null;
      try {
        next = nextRunAfter(due.schedule, due.timezone, now);
      } catch (error) {
        // Validated when saved; a schedule this version cannot read stops instead of firing every pass.
        log.warn({ err: error, task: due.id }, 'task schedule unreadable; not scheduled again');
      }
      await queueRun(tx, due, 'schedule', now);
      await tx.update(tasks).set({ nextRunAt: next }).where(eq(tasks.id, due.id));
      return due;
    });
    if (!task) break;
    fired += 1;
  }
  return fired;
}
