import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import { nextStep, type Step } from './turn.ts';

export const OFFLINE_PROVIDER = 'bizosaas';
export const OFFLINE_MODEL = 'offline-commands';

/** Rough token counts (4 characters a token), so metering has numbers to record. */
function usageOf(options: LanguageModelV3CallOptions, output: string): LanguageModelV3Usage {
  const input = Math.ceil(JSON.stringify(options.prompt).length / 4);
  const out = Math.ceil(output.length / 4);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: out, text: out, reasoning: 0 },
  };
}

function outputText(step: Step): string {
  return 'text' in step
    ? step.text
    : step.calls.map((c) => `${c.toolName}${JSON.stringify(c.input)}`).join('\n');
}

function generate(options: LanguageModelV3CallOptions): LanguageModelV3GenerateResult {
  const step = nextStep(options);
  const content: LanguageModelV3Content[] =
    'text' in step
      ? [{ type: 'text', text: step.text }]
      : step.calls.map((c) => ({
          type: 'tool-call',
          toolCallId: c.toolCallId,
          toolName: c.toolName,
          input: JSON.stringify(c.input),
        }));
  return {
    content,
    finishReason: { unified: 'text' in step ? 'stop' : 'tool-calls', raw: undefined },
    usage: usageOf(options, outputText(step)),
    response: { id: `offline-${Date.now().toString(36)}`, timestamp: new Date(), modelId: OFFLINE_MODEL },
    warnings: [],
  };
}

/** The same answer as `doGenerate`, as stream parts: text in word-sized deltas, tool calls whole. */
function streamParts(result: LanguageModelV3GenerateResult): LanguageModelV3StreamPart[] {
  const parts: LanguageModelV3StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', ...result.response },
  ];
  result.content.forEach((c, i) => {
    if (c.type === 'text') {
      const id = `text-${i}`;
      parts.push({ type: 'text-start', id });
      for (const delta of c.text.split(/(?<=\s)/)) parts.push({ type: 'text-delta', id, delta });
      parts.push({ type: 'text-end', id });
    } else if (c.type === 'tool-call') {
      parts.push({ type: 'tool-input-start', id: c.toolCallId, toolName: c.toolName });
      parts.push({ type: 'tool-input-delta', id: c.toolCallId, delta: c.input });
      parts.push({ type: 'tool-input-end', id: c.toolCallId });
      parts.push(c);
    }
  });
  parts.push({ type: 'finish', usage: result.usage, finishReason: result.finishReason });
  return parts;
}

/**
 * The offline command model: an AI SDK language model that needs no network. It reads the
 * management command, the caller's context lines and the tools it is given (names, descriptions,
 * JSON schemas), and answers with tool calls or plain text, step after step of the agent loop.
 */
export function createOfflineModel(): LanguageModelV3 {
  return {
    specificationVersion: 'v3',
    provider: OFFLINE_PROVIDER,
    modelId: OFFLINE_MODEL,
    supportedUrls: {},
    async doGenerate(options) {
      return generate(options);
    },
    async doStream(options) {
      const parts = streamParts(generate(options));
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      });
      return { stream };
    },
  };
}
