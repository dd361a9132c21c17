import { and, eq, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../core/db/connection.ts';
import { emitEvent } from '../../core/events/emit.ts';
import { interactions } from './schema.ts';

/**
 * Publishes `crm.task_due` once for each open task whose due time has come. Run by the automation
 * loop as the owner (it sweeps every tenant); marking and publishing share one transaction, so a
 * task is announced exactly once.
 */
export async function emitDueTaskEvents(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(interactions)
      .where(
        and(
          eq(interactions.kind, 'task'),
          isNull(interactions.doneAt),
          isNull(interactions.dueNotifiedAt),
          lte(interactions.dueAt, now),
        ),
      )
      .limit(500)
      .for('update', { skipLocked: true });
    for (const task of due) {
      await tx.update(interactions).set({ dueNotifiedAt: now }).where(eq(interactions.id, task.id));
      await emitEvent(
        tx,
        { userId: task.actorId ?? 'system' },
        {
          tenantId: task.tenantId,
          name: 'crm.task_due',
          payload: {
            taskId: task.id,
            summary: task.summary,
            dueAt: task.dueAt?.toISOString(),
            customerId: task.customerId,
            leadId: task.leadId,
          },
        },
      );
    }
    return due.length;
  });
}
