import type { ToolProfile } from './catalog.ts';
import type { Command, Span } from './command.ts';
import { type Draft, type Extraction, type Known, newDraft, refStemsOf } from './draft.ts';
import { mentionsIn } from './mentions.ts';
import type { Caller } from './prompt.ts';
import { fillReferences } from './references.ts';
import {
  booleanValue,
  enumValue,
  fieldValue,
  flagsValue,
  namesField,
  numberValue,
  phoneValue,
} from './values.ts';

const FROM_NAMES = /^(from|since|after|start|starts|startDate|dateFrom|fromDate)$/;
const TO_NAMES = /^(to|until|before|end|ends|endDate|dateTo|toDate)$/;
const BOUND = /^(max|min)[A-Z]/;

/**
 * The arguments of one tool from a command, driven by the tool's JSON schema: typed values first
 * (emails, ids, named fields, enum values, switches, dates, numbers), then people, tenants and
 * other things by name — from what the conversation's tool results showed, or as lookups still to
 * make — and last what is left (a new person's name, a search text, a note).
 */
export function extractArguments(
  tool: ToolProfile,
  command: Command,
  caller: Caller,
  known: Known,
  vocabulary: Set<string>,
): Extraction {
  const draft = newDraft(tool, command, caller, known);
  const emails = fillEmailsAndIds(draft);
  fillFields(draft);
  fillStatedValues(draft);
  fillDates(draft);
  fillNumbers(draft);
  const people = fillReferences(draft, mentionsIn(command.text, draft.taken, vocabulary), emails);
  return finish(draft, people);
}

/** Email parameters take the command's emails first; the rest are people the command refers to. */
function fillEmailsAndIds({ tool, command, set }: Draft): Span[] {
  const emails = [...command.emails];
  for (const p of tool.params.filter((q) => q.kind === 'email')) {
    const e = emails.shift();
    if (e) set(p, e.value);
  }
  // Web addresses go to URL parameters: the one the command names ("affiliate link to …"), else in order.
  const urls = [...command.urls];
  const urlParams = tool.params.filter((q) => q.kind === 'url');
  for (const p of urlParams.sort(
    (a, b) => Number(namesField(command, b.name, [])) - Number(namesField(command, a.name, [])),
  )) {
    const u = urls.shift();
    if (u) set(p, u.value);
  }
  for (const p of tool.params.filter((q) => q.kind === 'id')) {
    const id = command.ids.find((i) => p.idPrefix && i.value.startsWith(p.idPrefix));
    if (id) set(p, id.value);
  }
  return emails;
}

/**
 * Free-text fields: named ones first ("job title to X"), then looser forms ("called X", a phone
 * number anywhere) for the fields still empty. Quoted text is free for a field to take, once.
 */
function fillFields({ out, tool, command, taken, set, take }: Draft) {
  const texts = tool.params.filter((p) => p.kind === 'text' || p.kind === 'phone');
  const quotes = new Set(command.quoted.map((q) => `${q.start}:${q.end}`));
  const valueTaken: [number, number][] = taken.filter(([a, b]) => !quotes.has(`${a}:${b}`));
  for (const p of texts) if (namesField(command, p.name, taken)) out.named += 1;
  for (const loose of [false, true]) {
    for (const p of texts) {
      if (out.args[p.name] !== undefined) continue;
      const found =
        fieldValue(command, p, valueTaken, loose) ??
        (loose && p.kind === 'phone' ? phoneValue(command, valueTaken) : undefined);
      if (!found) continue;
      set(p, found.value);
      take(found);
      valueTaken.push([found.start, found.end]);
      if (loose) out.named += 1;
    }
  }
}

/** Enum values, yes/no parameters and objects of switches the command names. */
function fillStatedValues({ out, tool, command, taken, state }: Draft) {
  for (const p of tool.params) {
    if (p.kind === 'enum') {
      const found = enumValue(command, p, taken);
      if (found) state(p, found.value, [found]);
    } else if (p.kind === 'boolean') {
      const found = booleanValue(command, p.name, taken);
      if (found) state(p, found.value, [found.span]);
    } else if (p.kind === 'flags') {
      const spans: Span[] = [];
      const value = flagsValue(command, p.schema, taken, spans);
      if (!value) continue;
      state(p, value, spans);
      out.fit += spans.length;
    }
  }
}

/** The command's date range onto the tool's from/to parameters (one date parameter takes the start). */
function fillDates({ tool, command, set }: Draft) {
  const dated = tool.params.filter((p) => p.kind === 'date');
  const { from, to } = command.dates;
  if (!dated.length || (!from && !to)) return;
  const fromParam = dated.find((p) => FROM_NAMES.test(p.name)) ?? (dated.length === 1 ? dated[0] : undefined);
  const toParam = dated.find((p) => TO_NAMES.test(p.name));
  if (from && fromParam) set(fromParam, from);
  if (to && toParam) set(toParam, to);
  else if (to && !from && fromParam && !toParam) set(fromParam, to);
}

/** Numbers, bounds first: "at most 2 stars" is maxRating's before it is rating's. */
function fillNumbers({ tool, command, taken, set, take }: Draft) {
  const numbers = tool.params.filter((p) => p.kind === 'number');
  numbers.sort((a, b) => Number(BOUND.test(b.name)) - Number(BOUND.test(a.name)));
  for (const p of numbers) {
    const found = numberValue(command, p, taken);
    if (!found) continue;
    set(p, Number(found.value));
    take(found);
  }
}

/** Lookups still to make count as (almost) given; what is required and absent is missing. */
function finish({ out, tool }: Draft, people: string[]): Extraction {
  out.refs += out.lookups.length;
  for (const l of out.lookups) {
    const p = tool.params.find((q) => q.kind === l.kind || q.name === l.kind);
    if (p) for (const s of refStemsOf(p)) out.refStems.add(s);
  }
  out.fit += 1.5 * out.lookups.length;
  if (!out.lookups.length)
    out.missing = tool.params.filter((p) => p.required && out.args[p.name] === undefined);
  const personParam = tool.params.find((p) => p.kind === 'person');
  out.calls =
    personParam && people.length > 1
      ? people.map((u) => ({ ...out.args, [personParam.name]: u }))
      : [out.args];
  out.notFound = [...new Set(out.notFound)];
  return out;
}
