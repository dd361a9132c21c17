import type { ParamProfile, ToolProfile } from './catalog.ts';
import type { Command } from './command.ts';
import { ACTION_LABELS } from './lexicon.ts';
import type { Caller } from './prompt.ts';
import { label, toolPhrase } from './summary.ts';
import { splitIdentifier } from './words.ts';

/** The tool's purpose in a few words: the first clause of its description when short, else its name. */
function purpose(tool: ToolProfile): string {
  const clause =
    tool.description
      .replace(/\s*\(?e\.g\.[^.;)]*\)?/g, '')
      .split(/[.:;(]/)[0]
      ?.trim() ?? '';
  const words = clause.split(/\s+/);
  if (clause && words.length <= 9) return clause.charAt(0).toLowerCase() + clause.slice(1);
  return toolPhrase(tool);
}

function needOf(p: ParamProfile): string {
  const plain = (p.schema.description ?? '').replace(/[,;]?\s*\(?e\.g\.[^.;)]*\)?/g, '');
  const description = plain.split(/[.;]/)[0]?.trim() ?? '';
  if (p.kind === 'person') return 'who it is for (a name or an email address)';
  if (p.kind === 'tenant') return 'which business (tenant) it is for';
  if (p.kind === 'flags') {
    const keys = Object.keys(p.schema.properties ?? {}).map(label);
    return `which ${label(p.name)} to turn on or off (${keys.join(', ')})`;
  }
  if (p.kind === 'enum')
    return `the ${label(p.name)} (${p.enumValues.map((v) => v.replace(/_/g, '-')).join(', ')})`;
  if (description && description.split(/\s+/).length <= 8)
    return description.charAt(0).toLowerCase() + description.slice(1);
  return `the ${label(p.name)}`;
}

const joinAnd = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** A question for the required details the command did not give. */
export function askForMissing(tool: ToolProfile, missing: readonly ParamProfile[]): string {
  return `To ${purpose(tool)} I need ${joinAnd(missing.map(needOf))}. What should I use?`;
}

/** A question when a name fits several people or businesses. */
export function askWhich(mention: string, options: readonly string[]): string {
  return `More than one match for "${mention}": ${joinAnd([...options])}. Which one do you mean?`;
}

/** A question when a name fits nobody the caller can see. */
export function askWhoIs(names: readonly string[], tool: ToolProfile): string {
  const person = tool.params.some((p) => p.kind === 'person');
  const quoted = joinAnd(names.map((n) => `"${n}"`));
  const thing = tool.params.find((p) => p.kind === 'id' || p.kind === 'ref');
  if (!person && thing)
    return `I couldn't find a ${label(thing.name)} called ${quoted}. Which one do you mean? Its id works best.`;
  return person
    ? `I couldn't find anyone called ${quoted} among the people you can see. Who do you mean? An email address works best.`
    : `I couldn't find ${quoted} among the businesses and people you can see. Which one do you mean? Its slug works best.`;
}

/** A question when a name needs a lookup tool the caller does not have. */
export function askForEmail(names: readonly string[]): string {
  return `I can't look up ${joinAnd(names.map((n) => `"${n}"`))} with the tools available to you. What is their email address?`;
}

/** The answer when no available tool does what the command asks. */
export function cannotDo(command: Command, tools: readonly ToolProfile[], caller: Caller): string {
  const action = ACTION_LABELS.find(([pattern]) => pattern.test(command.lower))?.[1];
  const role = caller.role ? ` (your role: ${caller.role.replace(/_/g, '-')})` : '';
  if (action)
    return `I can't ${action} for you: none of the tools available to you${role} does that, so I did nothing. Someone with that right can do it.`;
  if (/^\s*(hi|hello|hey|good (morning|afternoon|evening))\b/i.test(command.text))
    return `Hello! Tell me what to do in plain words. ${examples(tools)}`;
  if (/^\s*(thanks|thank you|cheers|ok|okay|great|perfect)\b/i.test(command.text)) return 'You are welcome.';
  return `I'm not sure what you want me to do, so I did nothing. ${examples(tools)}`;
}

function examples(tools: readonly ToolProfile[]): string {
  if (!tools.length) return 'No tools are available to me here.';
  const names = tools.slice(0, 10).map((t) => splitIdentifier(t.name).join(' '));
  return `I can, for example: ${names.join('; ')}.`;
}
