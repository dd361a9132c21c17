import { eq } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { agentSettings } from './schema.ts';

export interface AgentSettings {
  /** Every write waits for the person's approval, not only destructive tools. */
  approveWrites: boolean;
}

export async function getSettings(tx: Tx, ctx: CallContext): Promise<AgentSettings> {
  const [row] = await tx.select().from(agentSettings).where(eq(agentSettings.userId, ctx.userId));
  return { approveWrites: row?.approveWrites ?? false };
}

export async function setSettings(tx: Tx, ctx: CallContext, input: AgentSettings): Promise<AgentSettings> {
  await tx
    .insert(agentSettings)
    .values({ userId: ctx.userId, tenantId: ctx.tenantId, approveWrites: input.approveWrites })
    .onConflictDoUpdate({
      target: agentSettings.userId,
      set: { approveWrites: input.approveWrites, updatedAt: new Date() },
    });
  return input;
}
