import type { JSONValue, LanguageModelV3Prompt } from '@ai-sdk/provider';

/** Who the agent acts for, read from the lines `agents/context.ts` writes into the system prompt. */
export interface Caller {
  name?: string | undefined;
  email?: string | undefined;
  role?: string | undefined;
  tenantName?: string | undefined;
  tenantSlug?: string | undefined;
  timezone?: string | undefined;
  /** `YYYY-MM-DD` in the caller's time zone. */
  today: string;
}

/** A tool call of the current turn and, once it ran, what came back. */
export interface TurnCall {
  id: string;
  toolName: string;
  input: Record<string, unknown>;
  /** The JSON (or text) result; absent while no result is in the prompt. */
  output?: JSONValue | undefined;
  /** The refusal or failure message, when the call failed or was denied. */
  error?: string | undefined;
  denied?: boolean | undefined;
}

export interface ReadPrompt {
  caller: Caller;
  /** The person's latest message. */
  command: string;
  /** Their message before that, when our last answer was a question (the command it completes). */
  previousCommand?: string | undefined;
  /** Calls made since the latest user message, in order. */
  turnCalls: TurnCall[];
  /** Every tool result of the conversation (earlier turns too): where names get resolved. */
  results: ToolResult[];
  /** Length of the prompt in characters, for rough token counts. */
  size: number;
}

/** A tool's result, with the tool's name (it tells what kind of things the result lists). */
export interface ToolResult {
  toolName: string;
  value: JSONValue;
}

/** The calls this model makes for lookups are marked in their id, so a later step tells them apart. */
export const LOOKUP_ID_PREFIX = 'offline-lookup-';
export const CALL_ID_PREFIX = 'offline-call-';

/** Reads what the offline model needs from an AI SDK prompt. */
export function readPrompt(prompt: LanguageModelV3Prompt, now: Date = new Date()): ReadPrompt {
  const system = prompt
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n');
  const caller = readCaller(system, now);
  let lastUser = -1;
  prompt.forEach((m, i) => {
    if (m.role === 'user') lastUser = i;
  });
  const command = lastUser >= 0 ? userText(prompt[lastUser]) : '';
  const previousCommand = questionBefore(prompt, lastUser);
  const calls = new Map<string, TurnCall>();
  const results: ToolResult[] = [];
  prompt.forEach((m, i) => {
    if (m.role !== 'assistant' && m.role !== 'tool') return;
    for (const part of m.content) {
      if (part.type === 'tool-call' && i > lastUser) {
        calls.set(part.toolCallId, {
          id: part.toolCallId,
          toolName: part.toolName,
          input: asRecord(parseInput(part.input)),
        });
      }
      if (part.type !== 'tool-result') continue;
      const out = part.output;
      const call = i > lastUser ? calls.get(part.toolCallId) : undefined;
      if (out.type === 'json' || out.type === 'text') {
        const value = out.type === 'text' ? parseJson(out.value) : out.value;
        results.push({ toolName: part.toolName, value });
        if (call) call.output = value;
      } else if (call) {
        if (out.type === 'execution-denied') {
          call.denied = true;
          call.error = out.reason ?? 'You did not approve it.';
        } else if (out.type === 'error-text') {
          call.error = out.value;
          call.denied = /execution denied|not approved|rejected/i.test(out.value);
        } else if (out.type === 'error-json') call.error = errorMessage(out.value);
        else call.output = null;
      }
    }
  });
  const size = prompt.reduce((n, m) => n + JSON.stringify(m.content).length, 0);
  return { caller, command, previousCommand, turnCalls: [...calls.values()], results, size };
}

function readCaller(system: string, now: Date): Caller {
  const line = (prefix: string) => {
    const m = system.match(new RegExp(`^${prefix}:\\s*(.+)$`, 'm'));
    return m?.[1]?.trim();
  };
  const actsFor = line('You act for')?.match(/^(.*?)\s*<([^>]+)>/);
  const tenant = line('Their tenant')?.match(/^(.*?)\s*\(([^)]+)\)\s*$/);
  const today = line('Today \\(their time zone\\)')?.match(/\d{4}-\d{2}-\d{2}/)?.[0];
  return {
    name: actsFor?.[1] || undefined,
    email: actsFor?.[2],
    role: line('Their role'),
    tenantName: tenant?.[1],
    tenantSlug: tenant?.[2],
    timezone: line('Their time zone'),
    today: today ?? now.toISOString().slice(0, 10),
  };
}

function userText(message: LanguageModelV3Prompt[number] | undefined): string {
  if (message?.role !== 'user') return '';
  return message.content
    .map((p) => (p.type === 'text' ? p.text : ''))
    .join(' ')
    .trim();
}

/** The earlier command, when the assistant's last words before this message were a question. */
function questionBefore(prompt: LanguageModelV3Prompt, lastUser: number): string | undefined {
  let i = lastUser - 1;
  let text = '';
  for (; i >= 0 && !text; i--) {
    const m = prompt[i];
    if (m?.role === 'user') return undefined;
    if (m?.role === 'assistant')
      text = m.content
        .map((p) => (p.type === 'text' ? p.text : ''))
        .join('')
        .trim();
  }
  if (!text.endsWith('?')) return undefined;
  for (; i >= 0; i--) if (prompt[i]?.role === 'user') return userText(prompt[i]);
  return undefined;
}

function parseInput(input: unknown): unknown {
  return typeof input === 'string' ? parseJson(input) : input;
}

function parseJson(text: string): JSONValue {
  try {
    return JSON.parse(text) as JSONValue;
  } catch {
    return text;
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function errorMessage(value: JSONValue): string {
  if (typeof value === 'string') return value;
  const record = asRecord(value);
  const inner = asRecord(record.error);
  const message = inner.message ?? record.message;
  return typeof message === 'string' ? message : JSON.stringify(value);
}
