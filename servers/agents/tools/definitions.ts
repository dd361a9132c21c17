import { z } from 'zod';
import { defineTool, READ_ONLY, writes } from '../../kit/tool.ts';
import { deleteAgent, getAgent, listAgents, saveAgent } from '../definitions.ts';

export const agentName = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be 2–40 lowercase letters, digits or dashes, starting with a letter')
  .describe('The agent’s name, e.g. "assistant" or "admin".');
const toolPattern = z
  .string()
  .trim()
  .regex(/^(\*|[a-z][a-z0-9_-]*\*?)$/, 'must be a tool name, a prefix ending in * (users_*), or *');

/** Agent definitions: data, per tenant, on top of the built-in agents. */
export const definitionTools = [
  defineTool({
    name: 'list',
    title: 'List agents',
    description:
      'The agents you can talk to: the built-in ones and your organisation’s own, with the tools each may use.',
    input: z.strictObject({}),
    access: { permission: 'agents.use', feature: 'ai', scope: 'tenant' },
    annotations: READ_ONLY,
    handler: async (_args, call) => ({ agents: await call.transaction((tx) => listAgents(tx, call.ctx)) }),
  }),
  defineTool({
    name: 'get',
    title: 'Get an agent',
    description: 'One agent’s definition: instructions, allowed tool patterns, model.',
    input: z.strictObject({ agent: agentName }),
    access: { permission: 'agents.use', feature: 'ai', scope: 'tenant' },
    annotations: READ_ONLY,
    handler: async (args, call) => ({
      agent: await call.transaction((tx) => getAgent(tx, call.ctx, args.agent)),
    }),
  }),
  defineTool({
    name: 'save',
    title: 'Create or change an agent',
    description:
      'Define an agent for your organisation (or override a built-in one): its instructions, the tool name patterns ' +
      'it may use (it never gets more than the person talking to it), and optionally a model id.',
    input: z.strictObject({
      name: agentName,
      title: z.string().trim().min(1).max(80).describe('The name people see.'),
      instructions: z
        .string()
        .trim()
        .min(10)
        .max(8000)
        .describe('What the agent is for and how it should behave.'),
      allowedTools: z
        .array(toolPattern)
        .min(1)
        .max(100)
        .describe('Tool name patterns, e.g. ["users_list", "audit_*"].'),
      model: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .nullable()
        .optional()
        .describe('A model id; empty for the configured default.'),
    }),
    access: { permission: 'agents.manage', feature: 'ai', scope: 'tenant' },
    annotations: writes({ idempotent: true }),
    handler: async (args, call) =>
      call.transaction(async (tx) => {
        call.audit.target = args.name;
        return { agent: await saveAgent(tx, call.ctx, args) };
      }),
  }),
  defineTool({
    name: 'delete',
    title: 'Delete an agent',
    description:
      'Delete one of your organisation’s agents (a deleted override of a built-in agent reverts to the built-in).',
    input: z.strictObject({ agent: agentName }),
    access: { permission: 'agents.manage', feature: 'ai', scope: 'tenant' },
    annotations: writes({ destructive: true, idempotent: true }),
    handler: async (args, call) =>
      call.transaction(async (tx) => {
        call.audit.target = args.agent;
        return deleteAgent(tx, call.ctx, args.agent);
      }),
  }),
];
