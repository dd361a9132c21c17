import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { profileTools, type ToolProfile } from './catalog.ts';
import { type Command, readCommand } from './command.ts';
import type { Extraction, Known } from './draft.ts';
import { rankTools } from './intent.ts';
import { LEXICON_WORDS } from './lexicon.ts';
import { lookedUpOf, lookupCalls } from './lookups.ts';
import { directoryOf } from './people.ts';
import { CALL_ID_PREFIX, LOOKUP_ID_PREFIX, type ReadPrompt, readPrompt } from './prompt.ts';
import { askForEmail, askForMissing, askWhich, askWhoIs, cannotDo } from './questions.ts';
import { summariseCalls } from './summary.ts';
import { splitIdentifier, stem, stemsOf } from './words.ts';

export interface PlannedCall {
  toolCallId: string;
  toolName: string;
  input: Record<string, unknown>;
}

/** One model step: tool calls to make, or the text of the answer. */
export type Step = { calls: PlannedCall[] } | { text: string };

/**
 * One step of the offline model. Each step re-reads the whole prompt, so the model keeps no state:
 * when the turn's real calls have come back it answers; otherwise it chooses a tool, and either
 * looks up the names it cannot resolve yet, asks for what is missing, or makes the call.
 */
export function nextStep(options: LanguageModelV3CallOptions): Step {
  const read = readPrompt(options.prompt);
  const tools = profileTools(options);
  const known: Known = {
    directory: directoryOf(read.results, read.caller),
    lookedUp: lookedUpOf(read.turnCalls),
  };
  const made = read.turnCalls.filter((c) => !c.id.startsWith(LOOKUP_ID_PREFIX));
  if (made.length) {
    // Names as they were before these calls (a rename changes them).
    const before = directoryOf(
      read.results.filter((r) => !made.some((c) => c.output === r.value)),
      read.caller,
    );
    return { text: summariseCalls(made, tools, before, read.caller) };
  }
  if (!read.command.trim()) return { text: 'Tell me what to do, for example "list all partners".' };
  const vocabulary = vocabularyOf(tools);
  const first = plan(read, read.command, tools, known, vocabulary, options.prompt.length);
  if (read.previousCommand) {
    // After our question, a message without a verb of its own answers it: read both together.
    const merged = plan(
      read,
      `${read.previousCommand}. ${read.command}`,
      tools,
      known,
      vocabulary,
      options.prompt.length,
    );
    if (!first.hasVerb || !first.understood) return merged.step;
  }
  return first.step;
}

interface Plan {
  step: Step;
  /** Whether a tool was found for the command (even if it then asks). */
  understood: boolean;
  /** Whether the message says what to do (a verb), rather than only answering a question. */
  hasVerb: boolean;
}

function plan(
  read: ReadPrompt,
  text: string,
  tools: ToolProfile[],
  known: Known,
  vocabulary: Set<string>,
  promptLength: number,
): Plan {
  const command = readCommand(text, read.caller.today);
  const best = rankTools(tools, command, read.caller, known, vocabulary)[0];
  const hasVerb = command.verbs.size > 0;
  if (!best) return { step: { text: cannotDo(command, tools, read.caller) }, understood: false, hasVerb };
  const { tool, extraction } = best;
  return { step: act(tool, extraction, tools, command, promptLength), understood: true, hasVerb };
}

function act(
  tool: ToolProfile,
  ex: Extraction,
  tools: ToolProfile[],
  command: Command,
  promptLength: number,
): Step {
  if (ex.ambiguous) return { text: askWhich(ex.ambiguous.mention, ex.ambiguous.options) };
  if (ex.lookups.length) {
    const calls = lookupCalls(ex.lookups, tools, promptLength);
    if (calls.length) return { calls };
    return { text: askForEmail(ex.lookups.map((l) => l.mention)) };
  }
  // A name that fits nobody never falls back to a default (an optional `user` would mean "me").
  const unfilled = tool.params.some(
    (p) => ['person', 'tenant', 'ref', 'id'].includes(p.kind) && ex.args[p.name] === undefined,
  );
  if (ex.notFound.length && unfilled) return { text: askWhoIs(ex.notFound, tool) };
  if (ex.notFound.length && tool.params.some((p) => p.kind === 'tenant') && !command.self)
    return { text: askWhoIs(ex.notFound, tool) };
  if (ex.missing.length) return { text: askForMissing(tool, ex.missing) };
  return {
    calls: ex.calls.map((input, i) => ({
      toolCallId: `${CALL_ID_PREFIX}${promptLength}-${i}`,
      toolName: tool.name,
      input,
    })),
  };
}

/** Stems of every word the tools and the lexicon use: such words are not names. */
export function vocabularyOf(tools: readonly ToolProfile[]): Set<string> {
  const out = new Set(LEXICON_WORDS);
  for (const t of tools) {
    for (const w of splitIdentifier(t.name)) out.add(stem(w));
    // Examples in descriptions ('e.g. "acme"') are values, not vocabulary.
    const prose = t.description.replace(/e\.g\.[^.;)]*/g, ' ').replace(/"[^"]*"/g, ' ');
    for (const s of stemsOf(prose)) out.add(s);
    for (const s of t.paramStems) out.add(s);
  }
  return out;
}
