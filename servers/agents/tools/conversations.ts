import { z } from 'zod';
import { page, pageSize } from '../../kit/common-inputs.ts';
import { defineTool, READ_ONLY, writes } from '../../kit/tool.ts';
import { deleteConversation, getConversation, listConversations } from '../conversations.ts';

const conversationId = z
  .string()
  .trim()
  .regex(/^[\w-]{1,64}$/, 'must be a conversation id')
  .describe('The conversation id.');

/** The caller's own conversations with agents (private: nobody else, admins included, can read them). */
export const conversationTools = [
  defineTool({
    name: 'list_conversations',
    title: 'Your conversations',
    description: 'Your conversations with agents, most recent first.',
    input: z.strictObject({ page, pageSize }),
    access: { permission: 'agents.use', feature: 'ai', scope: 'self' },
    annotations: READ_ONLY,
    handler: (args, call) =>
      call.transaction((tx) => listConversations(tx, call.ctx, args.page, args.pageSize)),
  }),
  defineTool({
    name: 'get_conversation',
    title: 'A conversation',
    description: 'One of your conversations with all its messages.',
    input: z.strictObject({ conversation: conversationId }),
    access: { permission: 'agents.use', feature: 'ai', scope: 'self' },
    annotations: READ_ONLY,
    handler: async (args, call) => ({
      conversation: await call.transaction((tx) => getConversation(tx, call.ctx, args.conversation)),
    }),
  }),
  defineTool({
    name: 'delete_conversation',
    title: 'Delete a conversation',
    description: 'Delete one of your conversations and its messages.',
    input: z.strictObject({ conversation: conversationId }),
    access: { permission: 'agents.use', feature: 'ai', scope: 'self' },
    annotations: writes({ destructive: true, idempotent: true }),
    handler: (args, call) => call.transaction((tx) => deleteConversation(tx, call.ctx, args.conversation)),
  }),
];
