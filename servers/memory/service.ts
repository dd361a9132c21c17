import { and, asc, count, eq } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { memories } from './schema.ts';

// A memory is context for every turn; a bound keeps prompts small.
export const MAX_MEMORIES = 50;

export async function listMemories(tx: Tx, ctx: CallContext) {
  const rows = await tx
    .select()
    .from(memories)
    .where(eq(memories.userId, ctx.userId))
    .orderBy(asc(memories.createdAt));
  return { memories: rows.map((m) => ({ id: m.id, text: m.text, createdAt: m.createdAt.toISOString() })) };
}

/** Saves a fact about the caller; the same fact twice is kept once. */
export async function saveMemory(tx: Tx, ctx: CallContext, text: string) {
  const fact = text.trim();
  const [existing] = await tx
    .select()
    .from(memories)
    .where(and(eq(memories.userId, ctx.userId), eq(memories.text, fact)));
  if (existing) return { memory: { id: existing.id, text: existing.text }, alreadyKnown: true };
  const [total] = await tx.select({ n: count() }).from(memories).where(eq(memories.userId, ctx.userId));
  if ((total?.n ?? 0) >= MAX_MEMORIES) {
    throw new AppError(
      'conflict',
      `You already have ${MAX_MEMORIES} memories; forget one (memory_forget) first.`,
    );
  }
  const id = newId('memory');
  await tx
    .insert(memories)
    .values({ id, tenantId: ctx.tenantId, userId: ctx.userId, text: fact, source: 'agent' });
  return { memory: { id, text: fact }, alreadyKnown: false };
}

export async function forgetMemory(tx: Tx, ctx: CallContext, id: string) {
  const deleted = await tx
    .delete(memories)
    .where(and(eq(memories.id, id), eq(memories.userId, ctx.userId)))
    .returning({ id: memories.id });
  if (!deleted.length) throw new AppError('not_found', `No memory ${id} of yours.`, { field: 'memory' });
  return { forgotten: id };
}
