import { readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import type { httpClient } from './http.ts';

/** Sends one chat turn like `useChat` does, and rebuilds the streamed assistant message from the SSE body. */
export async function sendChat(
  http: ReturnType<typeof httpClient>,
  body: { id?: string; messages: UIMessage[]; agent?: string },
) {
  const res = await http.request('POST', '/api/chat', body);
  if (res.status !== 200)
    return {
      status: res.status,
      json: res.json,
      chunks: [] as UIMessageChunk[],
      message: undefined,
      conversationId: undefined,
    };
  const chunks = res.text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice(6)) as UIMessageChunk);
  let message: UIMessage | undefined;
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
  for await (const m of readUIMessageStream({ stream })) message = m;
  return {
    status: res.status,
    json: undefined,
    chunks,
    message,
    conversationId: res.headers.get('x-conversation-id') ?? undefined,
  };
}

export const userMessage = (id: string, text: string): UIMessage => ({
  id,
  role: 'user',
  parts: [{ type: 'text', text }],
});
