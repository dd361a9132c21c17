import { APICallError, type UIMessage, validateUIMessages } from 'ai';
import { Router } from 'express';
import { z } from 'zod';
import { newDecisions } from '../../../agents/approvals.ts';
import { mergeHistory, titleOf } from '../../../agents/chat-history.ts';
import { redactMessages } from '../../../agents/redact-secrets.ts';
import type { AgentRuntime } from '../../../agents/runtime.ts';
import type { Db } from '../../../core/db/connection.ts';
import { withTenantScope } from '../../../core/db/tenant-scope.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { Logger } from '../../../core/logger.ts';
import { agentStore } from '../../../servers/agents/index.ts';
import { principalOf, requireAuth } from '../../auth/authenticate.ts';
import type { Gateway } from '../../call-tool.ts';
import { parseBody } from '../validate.ts';

// What `useChat` sends: the chat id, its messages (only the newest is used), and our `agent` field.
const chatBody = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[\w-]{1,64}$/, 'must be a chat id of letters, digits, _ and -')
    .optional(),
  messages: z.array(z.unknown()).min(1).max(500),
  agent: z.string().trim().max(40).optional(),
});

/** What a person sees when a turn fails mid-stream: a sentence, never a stack trace. */
function streamErrorMessage(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (APICallError.isInstance(error))
    return `The language model could not be reached or refused the request (${error.statusCode ?? 'no answer'}).`;
  return 'The agent ran into a problem; it has been logged.';
}

/** The chat door: `POST /api/chat` streams the AI SDK UI message stream for `useChat`; conversations persist per user. */
export function chatRoutes(deps: { agents: AgentRuntime; gateway: Gateway; db: Db; log: Logger }): Router {
  const router = Router();

  router.post('/api/chat', requireAuth, async (req, res) => {
    const principal = principalOf(req);
    const body = parseBody(chatBody, req.body);
    const [incoming] = (await validateUIMessages({ messages: body.messages.slice(-1) }).catch(
      (error: unknown) => {
        throw new AppError('bad_request', `messages: ${(error as Error).message}`, { field: 'messages' });
      },
    )) as UIMessage[];
    if (!incoming)
      throw new AppError('bad_request', 'messages: send at least one message.', { field: 'messages' });
    const conversationId = body.id ?? newId('conversation');
    const stored = await withTenantScope(deps.db, principal, (tx) =>
      agentStore.findConversation(tx, principal, conversationId),
    );
    const history = (stored?.messages ?? []) as UIMessage[];
    const messages = mergeHistory(history, incoming);
    deps.agents.auditDecisions(
      principal,
      newDecisions(
        history.find((m) => m.id === incoming.id),
        incoming,
      ),
    );

    const { result, agent } = await deps.agents.streamTurn(principal, {
      agent: body.agent ?? stored?.agent,
      messages,
      conversationId,
    });
    result.pipeUIMessageStreamToResponse(res, {
      headers: { 'x-conversation-id': conversationId },
      originalMessages: messages,
      generateMessageId: () => newId('message'),
      onError: (error) => {
        if (!(error instanceof AppError)) deps.log.error({ err: error }, 'chat turn failed');
        return streamErrorMessage(error);
      },
      onFinish: async ({ messages: final }) => {
        // Credentials and one-time secrets that passed through the turn are not kept.
        const kept = redactMessages(final);
        try {
          await withTenantScope(deps.db, principal, (tx) =>
            agentStore.saveConversation(tx, principal, {
              id: conversationId,
              agent,
              title: stored?.title ?? titleOf(kept),
              messages: kept,
            }),
          );
        } catch (error) {
          deps.log.error({ err: error, conversationId }, 'conversation was not saved');
        }
      },
    });
  });

  router.get('/api/conversations', requireAuth, async (req, res) => {
    const page = Number(req.query.page ?? 1);
    res.json(
      await deps.gateway.callTool(principalOf(req), 'agents_list_conversations', {
        page: Number.isFinite(page) ? page : 1,
      }),
    );
  });
  router.get('/api/conversations/:id', requireAuth, async (req, res) => {
    res.json(
      await deps.gateway.callTool(principalOf(req), 'agents_get_conversation', {
        conversation: String(req.params.id),
      }),
    );
  });
  return router;
}
