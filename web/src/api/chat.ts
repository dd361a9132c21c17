import { DefaultChatTransport, type UIMessage } from 'ai';
import { callTool, gatewayFetch, request } from './client.ts';
import type { AgentInfo, ConversationSummary } from './types.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new conversation id the server accepts (`cnv_` and a ULID-like, time-sortable body). */
export function newConversationId(now = Date.now()): string {
  let time = '';
  for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  const random = crypto.getRandomValues(new Uint8Array(16));
  return `cnv_${time}${Array.from(random, (b) => CROCKFORD[b % 32]).join('')}`;
}

export async function listConversations(signal?: AbortSignal): Promise<ConversationSummary[]> {
  const { items } = await request<{ items: ConversationSummary[] }>('GET', '/api/conversations', undefined, {
    ...(signal ? { signal } : {}),
  });
  return items;
}

export async function loadConversation(id: string, signal?: AbortSignal) {
  const { conversation } = await request<{ conversation: { messages: UIMessage[]; agent: string | null } }>(
    'GET',
    `/api/conversations/${encodeURIComponent(id)}`,
    undefined,
    signal ? { signal } : {},
  );
  return conversation;
}

export async function listAgents(signal?: AbortSignal): Promise<AgentInfo[]> {
  const { agents } = await callTool<{ agents: AgentInfo[] }>('agents_list', {}, signal);
  return agents;
}

/**
 * The transport `useChat` posts through: the gateway's credentials (and 401 handling), only the
 * newest message (the server keeps the history), and the chosen agent.
 */
export function chatTransport(agentOf: () => string | undefined) {
  return new DefaultChatTransport<UIMessage>({
    api: '/api/chat',
    fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
      gatewayFetch(typeof input === 'string' ? input : input.toString(), init)) as typeof fetch,
    prepareSendMessagesRequest: ({ id, messages }) => {
      const agent = agentOf();
      return { body: { id, messages: messages.slice(-1), ...(agent ? { agent } : {}) } };
    },
  });
}

/** A failed turn as a sentence: the gateway's JSON error message, or the stream's error text. */
export function chatErrorMessage(error: Error): string {
  try {
    const parsed = JSON.parse(error.message) as { error?: { message?: string } };
    if (parsed.error?.message) return parsed.error.message;
  } catch {
    // Not JSON: a stream error is already a sentence.
  }
  if (/failed to fetch|networkerror/i.test(error.message))
    return 'The server could not be reached. Check your connection and try again.';
  return error.message || 'The agent could not answer.';
}
