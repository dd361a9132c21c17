import { extractArguments } from './arguments.ts';
import type { ToolProfile } from './catalog.ts';
import type { Command } from './command.ts';
import type { Extraction, Known } from './draft.ts';
import { canLookUp } from './lookups.ts';
import type { Caller } from './prompt.ts';

export interface Candidate {
  tool: ToolProfile;
  extraction: Extraction;
  score: number;
}

/** Verbs that only read. A command whose verbs are all of these never gets a writing tool. */
const READ_VERBS = new Set(['list', 'get', 'search', 'verify']);
/** Verbs any value named in the command agrees with ("deprecate X" sets a status). */
const SETTING_VERBS = new Set(['set', 'updat', 'chang', 'mark']);

/** Below this a tool is not what the command asks for. */
const THRESHOLD = 3;

/** How a command relates to reading and writing, for one tool. */
interface Mode {
  writes: boolean;
  commandWrites: boolean;
  /** The command names values of the tool's parameters (enum values, switches, named fields). */
  givesValues: boolean;
  /** A statement of how things should be ("Bob's title is now …") that this tool can make true. */
  setsValues: boolean;
  /** No verb at all ("Yuki's sessions", "partners?"): a request to see something. */
  implicitRead: boolean;
}

/** Words of a statement of how things should be ("Bob's title is now …", "me -> admin"). */
const STATES =
  /\b(is|are|be|should|shouldn't|needs?|must|now|no longer|anymore|i'd like|i would like|i want|we want|we'd like|i need|we need|have|get|let's)\b|->|→|=>|:|(?<![<>!=])=(?![=>])/;

function modeOf(tool: ToolProfile, command: Command, extraction: Extraction): Mode {
  const writes = !tool.readOnly;
  const givesValues = extraction.stated + extraction.named > 0;
  const states = extraction.opensWithValue || STATES.test(command.lower);
  return {
    writes,
    commandWrites: [...command.verbs].some((v) => !READ_VERBS.has(v)),
    givesValues,
    setsValues: givesValues && states && !command.asksToSee && tool.verbs.every((v) => SETTING_VERBS.has(v)),
    implicitRead: command.verbs.size === 0,
  };
}

/**
 * The verbs of the tool's name against the command's. A writing tool whose verb the command does
 * not express is out, so "log in as bob" never ends someone's impersonation.
 */
function verbScore(tool: ToolProfile, command: Command, mode: Mode): number | undefined {
  const said = (term: string) =>
    command.verbs.has(term) ||
    command.concepts.has(term) ||
    (mode.implicitRead && READ_VERBS.has(term)) ||
    (mode.setsValues && SETTING_VERBS.has(term));
  let score = 0;
  for (const term of tool.verbs) {
    if (said(term)) score += 3;
    else if (mode.writes && !(SETTING_VERBS.has(term) && mode.givesValues)) return undefined;
    else score -= 1.5;
  }
  // A reading tool named without a verb (`audit_user_timeline`) is shown, listed, got.
  const asksToRead = mode.implicitRead || [...command.verbs].some((v) => READ_VERBS.has(v));
  if (!tool.verbs.length && tool.readOnly && asksToRead) score += 3;
  return score;
}

/**
 * The things the tool's name is about against what the command names. Said outright weighs 3,
 * through a person or tenant the command refers to 2; a tool none of whose things the command
 * names is out. A name that is only a verb (`users_list`) is about its server's things.
 */
function objectScore(
  tool: ToolProfile,
  command: Command,
  extraction: Extraction,
  mode: Mode,
): number | undefined {
  const outright = (term: string) =>
    command.stems.has(term) || command.concepts.has(term) || extraction.statedStems.has(term);
  const objects = tool.terms.filter((t) => !tool.verbs.includes(t));
  const verbOnly = !objects.length;
  if (verbOnly) objects.push(tool.server);
  let score = verbOnly || !outright(tool.server) ? 0 : 1;
  let said = 0;
  for (const term of objects) {
    if (outright(term)) score += 3;
    else if (extraction.refStems.has(term)) score += 2;
    else {
      score -= 1;
      continue;
    }
    said += 1;
  }
  if (said) return score;
  // A distinctive verb names its thing by itself ("send an invite"); so does a field the command
  // names ("set my number to …" is about the profile that has the number); a reading tool, the
  // server named in so many words ("verify the audit log").
  const distinctive = verbOnly && tool.verbs.some((v) => command.verbs.has(v) && !READ_VERBS.has(v));
  if (distinctive || (mode.givesValues && mode.writes)) return score + 3;
  if (!verbOnly && tool.readOnly && command.stems.has(tool.server)) return score + 2;
  return undefined;
}

/** Description and parameter words heard, less each phrase of the command the tool has no word for. */
function wordScore(tool: ToolProfile, command: Command): number {
  const heard = new Set([...command.stems, ...command.concepts]);
  let inDescription = 0;
  let inParams = 0;
  for (const s of heard) {
    if (tool.descStems.has(s)) inDescription += 1;
    if (tool.paramStems.has(s)) inParams += 1;
  }
  const covers = (s: string) =>
    tool.terms.includes(s) || tool.server === s || tool.descStems.has(s) || tool.paramStems.has(s);
  const uncovered = command.conceptGroups.filter((group) => !group.some(covers)).length;
  return Math.min(inDescription, 4) * 0.75 + Math.min(inParams, 3) * 0.75 - 1.5 * uncovered;
}

/**
 * Scores one tool against a command from the tool's own words: its name (verb and object terms,
 * weighed most), its description, its parameter names and enum values, and how well the command
 * fills its parameters. Undefined when the tool cannot be what the command asks for.
 */
export function scoreTool(
  tool: ToolProfile,
  command: Command,
  extraction: Extraction,
  things: ReadonlySet<string> = new Set(),
  statement = false,
  canDoIt = true,
): number | undefined {
  const mode = modeOf(tool, command, extraction);
  if (mode.writes && !mode.commandWrites && !mode.setsValues) return undefined;
  // A reading tool for an order to change something only when the order picks out what to read
  // first ("reply to our 1- and 2-star reviews without a response": those reviews).
  if (
    !mode.writes &&
    mode.commandWrites &&
    !command.readCue &&
    (Object.keys(extraction.args).length < 2 || !canDoIt)
  )
    return undefined;
  // "I should be an admin" asks for a change even with no verb: no reading tool makes it so.
  if (!mode.writes && statement && !mode.commandWrites) return undefined;
  const verbs = verbScore(tool, command, mode);
  if (verbs === undefined) return undefined;
  const objects = objectScore(tool, command, extraction, mode);
  if (objects === undefined) return undefined;
  let score =
    verbs + objects + wordScore(tool, command) + extraction.fit - 2 * unknownThings(tool, command, things);
  if (command.asksToSee && tool.readOnly) score += 1;
  if (mode.writes && mode.commandWrites) score += 0.5;
  if (mode.setsValues && extraction.opensWithValue) score += 3;
  return score;
}

/**
 * The things the tools are about (`lead`, `session`, `service`…): the object terms of their names.
 * A command that names one of them in so many words is about a tool that knows that thing.
 */
export function thingsOf(tools: readonly ToolProfile[]): Set<string> {
  const out = new Set<string>();
  for (const t of tools) for (const term of t.terms) if (!t.verbs.includes(term)) out.add(term);
  for (const t of tools) out.add(t.server);
  return out;
}

/** How many things the command names that this tool has no word for. */
function unknownThings(tool: ToolProfile, command: Command, things: ReadonlySet<string>): number {
  let count = 0;
  for (const s of command.stems) {
    if (!things.has(s)) continue;
    const covered =
      tool.terms.includes(s) || tool.server === s || tool.descStems.has(s) || tool.paramStems.has(s);
    if (!covered) count += 1;
  }
  return count;
}

/** The tools worth trying for a command, best first. */
export function rankTools(
  tools: readonly ToolProfile[],
  command: Command,
  caller: Caller,
  known: Known,
  vocabulary: Set<string>,
): Candidate[] {
  const out: Candidate[] = [];
  const things = thingsOf(tools);
  const extractions = tools.map((tool) => extractArguments(tool, command, caller, known, vocabulary));
  // A statement that names a value some tool takes ("… an admin", "… -> admin").
  const statement =
    STATES.test(command.lower) &&
    !command.asksToSee &&
    !command.readCue &&
    extractions.some((e) => e.stated > 0);
  // Whether the caller has a tool for the change asked ("upgrade my role" with no role tool is a
  // refusal, not a listing of admins).
  const canDoIt = tools.some(
    (t) =>
      !t.readOnly &&
      t.verbs.some((v) => command.verbs.has(v)) &&
      t.terms.every(
        (term) => t.verbs.includes(term) || command.stems.has(term) || command.concepts.has(term),
      ),
  );
  for (const [i, tool] of tools.entries()) {
    const extraction = extractions[i] as Extraction;
    const score = scoreTool(tool, command, extraction, things, statement, canDoIt);
    // Missing details, names nobody found and names no tool can look up lower a tool's rank but
    // do not rule it out: the answer then asks for them.
    if (score !== undefined && score >= THRESHOLD) {
      const unresolvable = extraction.lookups.filter((l) => !canLookUp(l, tools)).length;
      const doubts =
        2 * (extraction.missing.length + extraction.unplaced) +
        3 * (extraction.notFound.length + extraction.guessed + unresolvable);
      out.push({ tool, extraction, score: score - doubts });
    }
  }
  // Of equals, the one that reads a name as a person: the people are what most commands are about.
  const person = (c: Candidate) => Number(c.extraction.lookups.some((l) => l.kind === 'person'));
  return out.sort(
    (a, b) => b.score - a.score || person(b) - person(a) || a.tool.name.localeCompare(b.tool.name),
  );
}
