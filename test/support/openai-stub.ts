/**
 * A local HTTP server speaking OpenAI's wire formats, so tests drive `@ai-sdk/openai` end to end
 * without the internet: the mock sits at the wire, everything above it is real.
 *
 * - Chat Completions, `POST /v1/chat/completions` (what Ollama, vLLM and LM Studio speak): a
 *   `chat.completion` JSON body, or with `stream: true` `chat.completion.chunk` events
 *   (`data: {…}` … `data: [DONE]`): text deltas, `delta.tool_calls` whose arguments arrive in
 *   pieces, `finish_reason`, and with `stream_options.include_usage` a last chunk carrying `usage`.
 * - Responses API, `POST /v1/responses`: a `response` JSON body, or with `stream: true` the
 *   `event: …` / `data: {…}` sequence `response.created`, `response.in_progress`,
 *   `response.output_item.added`, `response.content_part.added`, `response.output_text.delta`,
 *   `response.function_call_arguments.delta/done`, `response.output_item.done`,
 *   `response.completed` (with usage).
 *
 * The shapes follow OpenAI's API reference and the provider's own parsing schemas
 * (`openaiChatResponseSchema`, `openaiChatChunkSchema`, `openaiResponsesResponseSchema`,
 * `openaiResponsesChunkSchema` in `@ai-sdk/openai`), including the fields it ignores, so a
 * format drift in the provider shows up here rather than against a real server.
 *
 * Scripting: `stub.script(callTool('users_set_role', {…}), reply('Done.'))` queues the turns the
 * "model" plays, one per request, in order; a turn can also be a function of the request. Every
 * request is recorded (`stub.requests`: path, headers, parsed body) for assertions. A request with
 * no turn left gets a 500 in OpenAI's error format: run the AI SDK with `maxRetries: 0`.
 *
 * ```ts
 * const stub = await startOpenAIStub();
 * const config = loadConfig({ OPENAI_BASE_URL: stub.baseUrl, BIZOSAAS_MODEL: 'llama3.1' });
 * stub.script(callTool('users_get', { user: 'bob@northwind.test' }), reply('Bob is a baker.'));
 * await generateText({ model: resolveModel(config).model, tools, stopWhen: stepCountIs(5), maxRetries: 0, prompt });
 * stub.requests[1].body; // the second request: carries the tool result
 * await stub.close();
 * ```
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubToolCall {
  name: string;
  args: Record<string, unknown>;
  /** The call id the model gives it (`call_…` by default). */
  id?: string;
}

export interface StubUsage {
  input: number;
  output: number;
  cached?: number;
  reasoning?: number;
}

/** One model turn: text, tool calls (or both), or an HTTP error. */
export interface StubTurn {
  text?: string;
  toolCalls?: StubToolCall[];
  /** Token counts reported; by default estimated from the sizes (about 4 characters a token). */
  usage?: StubUsage;
  /** Chat Completions `finish_reason`; Responses maps `length` and `content_filter` to `incomplete`. */
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /** Answer with this HTTP status and OpenAI's error body instead. */
  error?: { status: number; message: string; type?: string; code?: string | null };
}

export type StubStep = StubTurn | ((request: RecordedRequest) => StubTurn);

/** A Chat Completions message as sent (`content` is a string or parts; `tool_calls` on assistant turns). */
export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content: string | null | { type: string; text?: string }[];
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  tools?: {
    type: 'function';
    function: { name: string; description?: string; parameters: Record<string, unknown>; strict?: boolean };
  }[];
  tool_choice?: unknown;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [field: string]: unknown;
}

/** A Responses API input item as sent: a message, a `function_call`, a `function_call_output`, … */
export interface ResponsesInputItem {
  type?: string;
  role?: string;
  content?: string | { type: string; text?: string }[];
  call_id?: string;
  name?: string;
  arguments?: string;
  output?: string | unknown[];
  id?: string;
}

export interface ResponsesRequestBody {
  model: string;
  input: ResponsesInputItem[];
  instructions?: string;
  tools?: { type: string; name: string; description?: string; parameters: Record<string, unknown> }[];
  tool_choice?: unknown;
  stream?: boolean;
  [field: string]: unknown;
}

export type RecordedRequest =
  | { api: 'chat'; path: string; headers: http.IncomingHttpHeaders; body: ChatRequestBody }
  | { api: 'responses'; path: string; headers: http.IncomingHttpHeaders; body: ResponsesRequestBody };

export interface OpenAIStub {
  /** `http://127.0.0.1:<port>/v1`: the value for OPENAI_BASE_URL. */
  baseUrl: string;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  /** Queues turns, played one per request in order. */
  script(...steps: StubStep[]): void;
  /** Turns queued and not played yet. */
  pending(): number;
  /** Forgets the queue and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export interface StubOptions {
  /** Pause between streamed events, so pieces also arrive in separate network reads (default 0). */
  eventDelayMs?: number;
  /** Characters per streamed piece of tool-call arguments (default 7, roughly a token or two). */
  argumentPiece?: number;
}

/** A turn that answers with text. */
export function reply(text: string, usage?: StubUsage): StubTurn {
  return usage ? { text, usage } : { text };
}

/** A turn that calls one tool. */
export function callTool(name: string, args: Record<string, unknown>, usage?: StubUsage): StubTurn {
  return usage ? { toolCalls: [{ name, args }], usage } : { toolCalls: [{ name, args }] };
}

/** A turn that fails with an HTTP status and OpenAI's error body. */
export function fail(status: number, message: string, type = 'server_error'): StubTurn {
  return { error: { status, message, type } };
}

const FINGERPRINT = 'fp_0penai5tub';
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const callId = () => `call_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x').slice(0, 24)}`;
const tokensOf = (text: string) => Math.max(1, Math.ceil(text.length / 4));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Streamed text comes word by word, each piece keeping its trailing space, as tokenizers do. */
function textPieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** A scripted turn with everything the wire needs filled in: ids, serialized arguments, usage. */
interface PlayedTurn {
  text: string | undefined;
  calls: { id: string; itemId: string; name: string; arguments: string }[];
  usage: StubUsage;
  finishReason: NonNullable<StubTurn['finishReason']>;
}

function play(turn: StubTurn, request: RecordedRequest): PlayedTurn {
  const calls = (turn.toolCalls ?? []).map((c) => ({
    id: c.id ?? callId(),
    itemId: `fc_${hex(24)}`,
    name: c.name,
    arguments: JSON.stringify(c.args),
  }));
  const prompt =
    request.api === 'chat'
      ? JSON.stringify([request.body.messages, request.body.tools ?? []])
      : JSON.stringify([request.body.instructions ?? '', request.body.input, request.body.tools ?? []]);
  const usage = turn.usage ?? {
    input: tokensOf(prompt),
    output: tokensOf(turn.text ?? '') + calls.reduce((n, c) => n + tokensOf(c.name + c.arguments), 0),
  };
  return {
    text: turn.text,
    calls,
    usage,
    finishReason: turn.finishReason ?? (calls.length ? 'tool_calls' : 'stop'),
  };
}

// ---- Chat Completions ---------------------------------------------------------------------------

function chatUsage(u: StubUsage) {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function chatCompletion(turn: PlayedTurn, body: ChatRequestBody) {
  const toolCalls = turn.calls.map((c) => ({
    id: c.id,
    type: 'function',
    function: { name: c.name, arguments: c.arguments },
  }));
  return {
    id: `chatcmpl-${hex(15)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: turn.text ?? null,
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
          refusal: null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: turn.finishReason,
      },
    ],
    usage: chatUsage(turn.usage),
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  };
}

function chatChunks(turn: PlayedTurn, body: ChatRequestBody, argumentPiece: number): unknown[] {
  const includeUsage = body.stream_options?.include_usage === true;
  const base = {
    id: `chatcmpl-${hex(15)}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  };
  // With include_usage every chunk carries `usage: null` until the last one, which has no choices.
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const out: unknown[] = [];
  if (turn.text !== undefined) {
    out.push(chunk({ role: 'assistant', content: '', refusal: null }));
    for (const piece of textPieces(turn.text)) out.push(chunk({ content: piece }));
  }
  turn.calls.forEach((call, index) => {
    const opening = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
    const first = index === 0 && turn.text === undefined;
    out.push(
      chunk(
        first
          ? { role: 'assistant', content: null, tool_calls: [opening], refusal: null }
          : { tool_calls: [opening] },
      ),
    );
    for (const piece of pieces(call.arguments, argumentPiece)) {
      out.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  if (turn.text === undefined && turn.calls.length === 0) {
    out.push(chunk({ role: 'assistant', content: '', refusal: null }));
  }
  out.push(chunk({}, turn.finishReason));
  if (includeUsage) out.push({ ...base, choices: [], usage: chatUsage(turn.usage) });
  return out;
}

// ---- Responses API ------------------------------------------------------------------------------

function responsesUsage(u: StubUsage) {
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cached ?? 0 },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    total_tokens: u.input + u.output,
  };
}

function messageItem(id: string, text: string, status: 'in_progress' | 'completed') {
  const content =
    status === 'completed' ? [{ type: 'output_text', annotations: [], logprobs: [], text }] : [];
  return { id, type: 'message', status, content, role: 'assistant' };
}

function functionCallItem(call: PlayedTurn['calls'][number], status: 'in_progress' | 'completed') {
  return {
    id: call.itemId,
    type: 'function_call',
    status,
    arguments: status === 'completed' ? call.arguments : '',
    call_id: call.id,
    name: call.name,
  };
}

/** The `response` object, as in the non-streaming body and in `response.created`/`completed`. */
function responseObject(
  id: string,
  createdAt: number,
  body: ResponsesRequestBody,
  turn: PlayedTurn,
  state: 'in_progress' | 'done',
  messageId: string,
) {
  const incomplete =
    turn.finishReason === 'length'
      ? 'max_output_tokens'
      : turn.finishReason === 'content_filter'
        ? 'content_filter'
        : null;
  const output =
    state === 'in_progress'
      ? []
      : [
          ...(turn.text !== undefined ? [messageItem(messageId, turn.text, 'completed')] : []),
          ...turn.calls.map((c) => functionCallItem(c, 'completed')),
        ];
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status: state === 'in_progress' ? 'in_progress' : incomplete ? 'incomplete' : 'completed',
    background: false,
    error: null,
    incomplete_details: state === 'done' && incomplete ? { reason: incomplete } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: state === 'done' ? responsesUsage(turn.usage) : null,
    user: null,
    metadata: {},
  };
}

function responsesEvents(turn: PlayedTurn, body: ResponsesRequestBody, argumentPiece: number) {
  const id = `resp_${hex(24)}`;
  const createdAt = Math.floor(Date.now() / 1000);
  const messageId = `msg_${hex(24)}`;
  const events: Record<string, unknown>[] = [];
  const emit = (type: string, fields: Record<string, unknown>) =>
    events.push({ type, sequence_number: events.length, ...fields });
  const inProgress = responseObject(id, createdAt, body, turn, 'in_progress', messageId);
  emit('response.created', { response: inProgress });
  emit('response.in_progress', { response: inProgress });
  let outputIndex = 0;
  if (turn.text !== undefined) {
    const text = turn.text;
    const where = { item_id: messageId, output_index: outputIndex, content_index: 0 };
    emit('response.output_item.added', {
      output_index: outputIndex,
      item: messageItem(messageId, '', 'in_progress'),
    });
    emit('response.content_part.added', {
      ...where,
      part: { type: 'output_text', annotations: [], logprobs: [], text: '' },
    });
    for (const delta of textPieces(text))
      emit('response.output_text.delta', { ...where, delta, logprobs: [] });
    emit('response.output_text.done', { ...where, text, logprobs: [] });
    emit('response.content_part.done', {
      ...where,
      part: { type: 'output_text', annotations: [], logprobs: [], text },
    });
    emit('response.output_item.done', {
      output_index: outputIndex,
      item: messageItem(messageId, text, 'completed'),
    });
    outputIndex++;
  }
  for (const call of turn.calls) {
    const where = { item_id: call.itemId, output_index: outputIndex };
    emit('response.output_item.added', {
      output_index: outputIndex,
      item: functionCallItem(call, 'in_progress'),
    });
    for (const delta of pieces(call.arguments, argumentPiece)) {
      emit('response.function_call_arguments.delta', { ...where, delta });
    }
    emit('response.function_call_arguments.done', { ...where, arguments: call.arguments });
    emit('response.output_item.done', {
      output_index: outputIndex,
      item: functionCallItem(call, 'completed'),
    });
    outputIndex++;
  }
  const done = responseObject(id, createdAt, body, turn, 'done', messageId);
  emit(done.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: done });
  return { events, done };
}

// ---- HTTP ---------------------------------------------------------------------------------------

function sendError(
  res: http.ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null,
) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type, param: null, code } }));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** Starts the stub on a free loopback port. */
export async function startOpenAIStub(options: StubOptions = {}): Promise<OpenAIStub> {
  const eventDelayMs = options.eventDelayMs ?? 0;
  const argumentPiece = options.argumentPiece ?? 7;
  const queue: StubStep[] = [];
  const requests: RecordedRequest[] = [];

  async function stream(res: http.ServerResponse, frames: string[]) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    for (const frame of frames) {
      res.write(frame);
      if (eventDelayMs) await sleep(eventDelayMs);
    }
    res.end();
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    const api = path === '/v1/chat/completions' ? 'chat' : path === '/v1/responses' ? 'responses' : undefined;
    if (req.method !== 'POST' || !api) {
      return sendError(
        res,
        404,
        `Unknown request URL: ${req.method} ${path}.`,
        'invalid_request_error',
        'unknown_url',
      );
    }
    const raw = await readBody(req);
    let body: ChatRequestBody & ResponsesRequestBody;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendError(
        res,
        400,
        'We could not parse the JSON body of your request.',
        'invalid_request_error',
        null,
      );
    }
    const request = { api, path, headers: req.headers, body } as RecordedRequest;
    requests.push(request);
    const step = queue.shift();
    if (!step) {
      return sendError(
        res,
        500,
        `openai-stub: no scripted turn left for request ${requests.length}`,
        'server_error',
        null,
      );
    }
    const turn = typeof step === 'function' ? step(request) : step;
    if (turn.error) {
      const { status, message, type = 'server_error', code = null } = turn.error;
      return sendError(res, status, message, type, code);
    }
    const played = play(turn, request);
    if (request.api === 'chat') {
      if (!request.body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(chatCompletion(played, request.body)));
      }
      const frames = chatChunks(played, request.body, argumentPiece).map(
        (c) => `data: ${JSON.stringify(c)}\n\n`,
      );
      return stream(res, [...frames, 'data: [DONE]\n\n']);
    }
    const { events, done } = responsesEvents(played, request.body, argumentPiece);
    if (!request.body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(done));
    }
    return stream(
      res,
      events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`),
    );
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, `openai-stub: ${String(error)}`, 'server_error', null);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script(...steps) {
      queue.push(...steps);
    },
    pending: () => queue.length,
    reset() {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
