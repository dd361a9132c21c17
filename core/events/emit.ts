import type { CallContext } from '../call-context.ts';
import type { Tx } from '../db/connection.ts';
import { newId } from '../ids.ts';
import { domainEvents } from './schema.ts';

/** Records a domain event in the caller's transaction: it is published only if the change commits. */
export async function emitEvent(
  tx: Tx,
  ctx: Pick<CallContext, 'userId'> & Partial<Pick<CallContext, 'via'>>,
  event: { tenantId: string; name: string; payload?: Record<string, unknown> },
): Promise<string> {
  const id = newId('event');
  await tx.insert(domainEvents).values({
    id,
    tenantId: event.tenantId,
    name: event.name,
    actorId: ctx.userId,
    // Marked when a task run caused it, so event tasks do not start themselves in a loop.
    payload: { ...event.payload, ...(ctx.via === 'task' ? { causedByTask: true } : {}) },
  });
  return id;
}
