import { and, count, eq, gte, lt, sql, sum } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { newId } from '../../core/ids.ts';
import { agentUsage } from './schema.ts';

export interface UsageRecord {
  agent: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  toolCalls: number;
  conversationId?: string | undefined;
  taskRunId?: string | undefined;
}

/** Meters one agent run for the caller's tenant (billing reads these). */
export async function recordUsage(tx: Tx, ctx: CallContext, usage: UsageRecord): Promise<void> {
  await tx
    .insert(agentUsage)
    .values({ id: newId('usage'), tenantId: ctx.tenantId, userId: ctx.userId, ...usage });
}

/** The tenant's agent usage in a period, in total and by model. */
export async function usageSummary(
  tx: Tx,
  ctx: CallContext,
  range: { from?: Date | undefined; to?: Date | undefined },
) {
  const conditions = [eq(agentUsage.tenantId, ctx.tenantId)];
  if (range.from) conditions.push(gte(agentUsage.createdAt, range.from));
  if (range.to) conditions.push(lt(agentUsage.createdAt, range.to));
  const rows = await tx
    .select({
      model: agentUsage.model,
      runs: count(),
      inputTokens: sql<number>`coalesce(${sum(agentUsage.inputTokens)}, 0)::int`,
      outputTokens: sql<number>`coalesce(${sum(agentUsage.outputTokens)}, 0)::int`,
      toolCalls: sql<number>`coalesce(${sum(agentUsage.toolCalls)}, 0)::int`,
    })
    .from(agentUsage)
    .where(and(...conditions))
    .groupBy(agentUsage.model);
  const total = rows.reduce(
    (t, r) => ({
      runs: t.runs + r.runs,
      inputTokens: t.inputTokens + r.inputTokens,
      outputTokens: t.outputTokens + r.outputTokens,
      toolCalls: t.toolCalls + r.toolCalls,
    }),
    { runs: 0, inputTokens: 0, outputTokens: 0, toolCalls: 0 },
  );
  return { tenantId: ctx.tenantId, total, byModel: rows };
}
