import { and, asc, count, desc, eq } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { conversations, messages } from './schema.ts';

/** A chat message as the UI holds it (AI SDK UI message). */
export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant' | 'system';
  parts: unknown[];
  metadata?: unknown;
}

/** The caller's conversations, most recent first (row-level security keeps them private). */
export async function listConversations(tx: Tx, ctx: CallContext, page: number, pageSize: number) {
  const where = eq(conversations.userId, ctx.userId);
  const rows = await tx
    .select()
    .from(conversations)
    .where(where)
    .orderBy(desc(conversations.updatedAt))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [total] = await tx.select({ n: count() }).from(conversations).where(where);
  return {
    items: rows.map((c) => ({
      id: c.id,
      title: c.title,
      agent: c.agent,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    })),
    page,
    pageSize,
    total: total?.n ?? 0,
  };
}

/** One conversation with its messages in order; undefined when the caller has none with this id. */
export async function findConversation(tx: Tx, ctx: CallContext, id: string) {
  const [conversation] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.userId, ctx.userId)));
  if (!conversation) return undefined;
  const rows = await tx
    .select()
    .from(messages)
    .where(eq(messages.conversationId, id))
    .orderBy(asc(messages.position));
  return {
    id: conversation.id,
    title: conversation.title,
    agent: conversation.agent,
    createdAt: conversation.createdAt.toISOString(),
    updatedAt: conversation.updatedAt.toISOString(),
    messages: rows.map((m): StoredMessage => {
      const { uiId, ...metadata } = m.metadata ?? {};
      return {
        id: typeof uiId === 'string' ? uiId : m.id,
        role: m.role,
        parts: m.parts,
        ...(Object.keys(metadata).length ? { metadata } : {}),
      };
    }),
  };
}

export async function getConversation(tx: Tx, ctx: CallContext, id: string) {
  const found = await findConversation(tx, ctx, id);
  if (!found) throw new AppError('not_found', `You have no conversation ${id}.`, { field: 'conversation' });
  return found;
}

/** Creates or updates a conversation and replaces its messages with the given list (one transaction). */
export async function saveConversation(
  tx: Tx,
  ctx: CallContext,
  input: { id: string; agent: string; title: string; messages: StoredMessage[] },
): Promise<void> {
  const now = new Date();
  await tx
    .insert(conversations)
    .values({
      id: input.id,
      tenantId: ctx.tenantId,
      userId: ctx.userId,
      agent: input.agent,
      title: input.title,
    })
    .onConflictDoUpdate({ target: conversations.id, set: { agent: input.agent, updatedAt: now } });
  await tx.delete(messages).where(eq(messages.conversationId, input.id));
  if (input.messages.length === 0) return;
  await tx.insert(messages).values(
    input.messages.map((m, position) => ({
      id: `${input.id}:${position}`,
      conversationId: input.id,
      tenantId: ctx.tenantId,
      userId: ctx.userId,
      role: m.role,
      parts: m.parts,
      metadata: { ...((m.metadata as Record<string, unknown> | undefined) ?? {}), uiId: m.id },
      position,
    })),
  );
}

export async function deleteConversation(tx: Tx, ctx: CallContext, id: string) {
  const deleted = await tx
    .delete(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.userId, ctx.userId)))
    .returning({ id: conversations.id });
  if (!deleted.length)
    throw new AppError('not_found', `You have no conversation ${id}.`, { field: 'conversation' });
  return { deleted: id };
}
