import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';

/** One scripted model turn: call tools, or answer with text (streamed in a few pieces). */
export type ScriptedTurn = { tools: { name: string; args: Record<string, unknown> }[] } | { text: string };

const usage = {
  inputTokens: { total: 12, noCache: 12, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 7, text: 7, reasoning: 0 },
};

/**
 * A `MockLanguageModelV3` (from `ai/test`) that plays turns in order, one per model call, and
 * records the prompts it was given. After the script it answers "(done)".
 */
export function scriptedModel(turns: ScriptedTurn[]) {
  const calls: LanguageModelV3CallOptions[] = [];
  let next = 0;
  const parts = (): LanguageModelV3StreamPart[] => {
    const turn = turns[next++] ?? { text: '(done)' };
    const body: LanguageModelV3StreamPart[] =
      'tools' in turn
        ? turn.tools.map((t, i) => ({
            type: 'tool-call',
            toolCallId: `call_${next}_${i}`,
            toolName: t.name,
            input: JSON.stringify(t.args),
          }))
        : [
            { type: 'text-start', id: 't' },
            ...turn.text.split(/(?<= )/).map((delta) => ({ type: 'text-delta' as const, id: 't', delta })),
            { type: 'text-end', id: 't' },
          ];
    const finishReason = {
      unified: 'tools' in turn ? ('tool-calls' as const) : ('stop' as const),
      raw: undefined,
    };
    return [{ type: 'stream-start', warnings: [] }, ...body, { type: 'finish', finishReason, usage }];
  };
  const model = new MockLanguageModelV3({
    doStream: async (options) => {
      calls.push(options);
      return { stream: simulateReadableStream({ chunks: parts() }) };
    },
    doGenerate: async (options) => {
      calls.push(options);
      const streamed = parts();
      const content: LanguageModelV3Content[] = streamed.flatMap((p): LanguageModelV3Content[] =>
        p.type === 'tool-call'
          ? [p]
          : p.type === 'text-delta'
            ? [{ type: 'text' as const, text: p.delta }]
            : [],
      );
      const finish = streamed.find((p) => p.type === 'finish') as Extract<
        LanguageModelV3StreamPart,
        { type: 'finish' }
      >;
      return { content, finishReason: finish.finishReason, usage, warnings: [] };
    },
  });
  return { model, calls };
}
