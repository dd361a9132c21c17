import { z } from 'zod';
import { defineTool, READ_ONLY, writes } from '../kit/tool.ts';
import { forgetMemory, listMemories, saveMemory } from './service.ts';

/** Per-user memory: facts every agent is told about the person it acts for. */
export const memoryTools = [
  defineTool({
    name: 'save',
    title: 'Remember a fact',
    description:
      'Remember a fact about the user for later conversations (a preference, a standing instruction, a detail ' +
      'they asked you to keep in mind), e.g. "prefers short answers" or "our busiest day is Saturday".',
    input: z.strictObject({
      fact: z.string().trim().min(2).max(500).describe('The fact, as one short sentence.'),
    }),
    access: { permission: 'agents.use', feature: 'ai', scope: 'self' },
    annotations: writes({ idempotent: true }),
    handler: (args, call) => call.transaction((tx) => saveMemory(tx, call.ctx, args.fact)),
  }),
  defineTool({
    name: 'list',
    title: 'What I remember about you',
    description: 'List the facts remembered about the user.',
    input: z.strictObject({}),
    access: { permission: 'agents.use', feature: 'ai', scope: 'self' },
    annotations: READ_ONLY,
    handler: (_args, call) => call.transaction((tx) => listMemories(tx, call.ctx)),
  }),
  defineTool({
    name: 'forget',
    title: 'Forget a fact',
    description: 'Forget one remembered fact, by its id (mem_…).',
    input: z.strictObject({
      memory: z
        .string()
        .regex(/^mem_[0-9A-Z]{26}$/, 'must be a memory id such as mem_01J…')
        .describe('The memory id.'),
    }),
    access: { permission: 'agents.use', feature: 'ai', scope: 'self' },
    annotations: writes({ destructive: true, idempotent: true }),
    handler: (args, call) => call.transaction((tx) => forgetMemory(tx, call.ctx, args.memory)),
  }),
];
