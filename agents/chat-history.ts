import type { UIMessage } from 'ai';

/**
 * The conversation to continue: the history as the server saved it, plus the client's newest
 * message — appended when new, or replacing the saved one with the same id (an assistant message
 * whose approval requests the person has now answered). The client's copy of older messages is
 * never trusted.
 */
export function mergeHistory(stored: readonly UIMessage[], incoming: UIMessage): UIMessage[] {
  const index = stored.findIndex((m) => m.id === incoming.id);
  if (index === -1) return [...stored, incoming];
  // Only an assistant message may be answered (approvals); a user message is never rewritten.
  if (incoming.role !== 'assistant' || stored[index]?.role !== 'assistant') return [...stored];
  return [...stored.slice(0, index), incoming, ...stored.slice(index + 1)];
}

/** A conversation's title: the start of its first user message. */
export function titleOf(messages: readonly UIMessage[]): string {
  const first = messages.find((m) => m.role === 'user');
  const text = (first?.parts ?? [])
    .map((p) => (p.type === 'text' ? p.text : ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 60 ? `${text.slice(0, 57)}…` : text || 'New conversation';
}
