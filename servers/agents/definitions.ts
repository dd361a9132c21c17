import { and, asc, eq } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { isUniqueViolation } from '../../core/db/errors.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { type AgentDefinition, BUILTIN_AGENTS } from './builtin.ts';
import { agentDefinitions } from './schema.ts';

function fromRow(row: typeof agentDefinitions.$inferSelect): AgentDefinition {
  return {
    name: row.name,
    title: row.title,
    instructions: row.instructions,
    allowedTools: row.allowedTools,
    model: row.model,
    builtIn: false,
  };
}

/** The caller's tenant's agents: the built-in ones, overridden or extended by the tenant's own. */
export async function listAgents(tx: Tx, ctx: CallContext): Promise<AgentDefinition[]> {
  const own = await tx
    .select()
    .from(agentDefinitions)
    .where(eq(agentDefinitions.tenantId, ctx.tenantId))
    .orderBy(asc(agentDefinitions.name));
  const byName = new Map<string, AgentDefinition>(BUILTIN_AGENTS.map((a) => [a.name, a]));
  for (const row of own) byName.set(row.name, fromRow(row));
  return [...byName.values()];
}

export async function getAgent(tx: Tx, ctx: CallContext, name: string): Promise<AgentDefinition> {
  const agent = (await listAgents(tx, ctx)).find((a) => a.name === name);
  if (!agent) throw new AppError('not_found', `There is no agent named "${name}".`, { field: 'agent' });
  return agent;
}

export interface SaveAgentInput {
  name: string;
  title: string;
  instructions: string;
  allowedTools: string[];
  model?: string | null | undefined;
}

/** Creates or replaces one of the tenant's agents (a built-in name overrides the built-in for this tenant). */
export async function saveAgent(tx: Tx, ctx: CallContext, input: SaveAgentInput): Promise<AgentDefinition> {
  const values = {
    title: input.title,
    instructions: input.instructions,
    allowedTools: input.allowedTools,
    model: input.model ?? null,
    updatedAt: new Date(),
  };
  const [row] = await tx
    .insert(agentDefinitions)
    .values({
      id: newId('agent'),
      tenantId: ctx.tenantId,
      name: input.name,
      createdBy: ctx.userId,
      ...values,
    })
    .onConflictDoUpdate({ target: [agentDefinitions.tenantId, agentDefinitions.name], set: values })
    .returning()
    .catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new AppError('conflict', `An agent named ${input.name} is being saved at the same time.`);
      throw error;
    });
  if (!row) throw new AppError('internal', 'The agent was not saved.');
  return fromRow(row);
}

export async function deleteAgent(tx: Tx, ctx: CallContext, name: string) {
  const deleted = await tx
    .delete(agentDefinitions)
    .where(and(eq(agentDefinitions.tenantId, ctx.tenantId), eq(agentDefinitions.name, name)))
    .returning({ id: agentDefinitions.id });
  if (!deleted.length) {
    const builtIn = BUILTIN_AGENTS.some((a) => a.name === name);
    throw new AppError(
      builtIn ? 'bad_request' : 'not_found',
      builtIn
        ? `${name} is built in and has no tenant version to delete.`
        : `Your tenant has no agent named ${name}.`,
      {
        field: 'agent',
      },
    );
  }
  return { deleted: name, revertsToBuiltIn: BUILTIN_AGENTS.some((a) => a.name === name) };
}
