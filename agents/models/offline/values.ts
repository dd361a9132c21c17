import { OFF_WORDS, ON_WORDS, PARAM_ALIASES, VALUE_ALIASES } from './aliases.ts';
import type { ParamProfile, Schema } from './catalog.ts';
import type { Command, Span } from './command.ts';
import { phrasePattern } from './lexicon.ts';
import { escapeRe, numberWord, splitIdentifier, stem } from './words.ts';

type Taken = [number, number][];

const overlaps = (taken: Taken, start: number, end: number) => taken.some(([a, b]) => start < b && end > a);

/** The ways a command may name a parameter or a property: its own words, then known aliases. */
export function aliasesOf(name: string): string[] {
  const own = splitIdentifier(name).join(' ');
  const extra = PARAM_ALIASES[name] ?? [];
  // The name as written too ("onboardingVisible=true").
  return [...new Set([...extra, own, name])].sort((a, b) => b.length - a.length);
}

function aliasPattern(name: string): string {
  return aliasesOf(name).map(phrasePattern).join('|');
}

const CONNECTOR =
  "(?:-\\s*)?(?:(?:please |pls )?(?:make it|set it to|change it to|it should be|it is|it's)|(?:be |been |get |gets )?(?:changed|updated|set|switched|corrected|moved) to|to be|to|as|is now|is|are|=|:|->|→|=>|into|should be|should read|should say|will be|becomes?|now|reads?|says)";
const VALUE_END =
  '(?=\\s*(?:[,;!?]|\\.(?:\\s|$)|$|\\s+(?:for|and|please|pls|plz|thanks|thank you|thx|instead|asap|right away|now|today|from now on|going forward|effective)\\b))';

/**
 * A free-text value named by its parameter: "job title to Head Baker", "her name is Eve Adams",
 * "phone number: +1 555 0100", "title 'Head Baker'"; a few words may sit between the name and the
 * connector ("title of Bob Smith to …"). With `loose`, also "named X", "called X", "rename … to X".
 * The span is the value's alone, so names in between stay free for people.
 */
export function fieldValue(
  command: Command,
  param: ParamProfile,
  taken: Taken,
  loose = false,
): Span | undefined {
  const alias = aliasPattern(param.name);
  const text = command.text;
  const value = `(?:"([^"]+)"|'([^']+)'|(.+?))${VALUE_END}`;
  const patterns = loose
    ? [
        ...(param.name === 'name' || param.name === 'query'
          ? [
              new RegExp(
                `\\b(?:named|called|name(?:d)? of)\\s+(?!(?:about|for|to|at|in|on|with|from|by|and|or|the|a|an|me|us|him|her|them)\\b)${value}`,
                'gi',
              ),
            ]
          : []),
        ...(param.name === 'name' ? [new RegExp(`\\brename\\s+.+?\\s+to\\s+${value}`, 'gi')] : []),
      ]
    : [
        new RegExp(`\\b(?:${alias})\\b\\s*(?:"([^"]+)"|'([^']+)')`, 'gi'),
        new RegExp(
          `\\b(?:${alias})\\b(?:\\s+(?:of|for|on)\\s+\\S+(?:\\s+\\S+)?|\\s+[A-Z][\\w'-]*(?:\\s+[A-Z][\\w'-]*)?)?\\s*${CONNECTOR}\\s+${value}`,
          'gi',
        ),
        // "full name Eve Adams", "title Head Baker": a capitalised value right after the name.
        new RegExp(`\\b(?:${alias})\\s+([A-Z][\\w'.-]*(?:\\s+[A-Z][\\w'.-]*)*)`, 'g'),
        // "Bob is now our Head Baker, update his title": the value first, the field named elsewhere.
        ...(new RegExp(`\\b(?:${alias})\\b`, 'i').test(text) && param.name !== 'name'
          ? [
              /\b(?:is now|is|has become|became|now works as|works as|(?:got |was |has been |been )?(?:promoted|moved|appointed|named|made) (?:to|as))\s+(?:our|the|a|an|their|his|her|its)?\s*([A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*)/g,
            ]
          : []),
      ];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const raw = m[1] ?? m[2] ?? m[3] ?? '';
      // "now he is Head Baker": the value, not the sentence around it.
      const found = raw
        .trim()
        .replace(/^(?:he|she|they|it)(?:'s| is| are)\s+/i, '')
        .replace(/^(?:the|a|an)\s+/i, '');
      if (!found) continue;
      const at = m.index + m[0].lastIndexOf(raw) + raw.indexOf(found);
      const quoted = m[1] !== undefined || m[2] !== undefined;
      const start = quoted ? at - 1 : at;
      const end = quoted ? at + found.length + 1 : at + found.length;
      if (overlaps(taken, start, end)) continue;
      if (!fits(param.schema, found)) continue;
      return { value: found, start, end };
    }
  }
  return undefined;
}

/** Whether a value passes the parameter's pattern and length limits. */
export function fits(schema: Schema, value: string): boolean {
  const s = schema as Schema & { maxLength?: number; minLength?: number };
  if (s.maxLength !== undefined && value.length > s.maxLength) return false;
  if (s.minLength !== undefined && value.length < s.minLength) return false;
  if (!schema.pattern) return true;
  try {
    return new RegExp(schema.pattern, 'u').test(value);
  } catch {
    return true;
  }
}

const PHONE = /\+?\d[\d ().-]{5,28}\d/g;

/** A phone number anywhere in the free text. */
export function phoneValue(command: Command, taken: Taken): Span | undefined {
  for (const m of command.text.matchAll(PHONE)) {
    if (overlaps(taken, m.index, m.index + m[0].length)) continue;
    if (/^\d{4}-\d{2}-\d{2}$/.test(m[0])) continue;
    return { value: m[0].trim(), start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

/** Values that are also everyday words or parameter names need their parameter named beside them. */
const WEAK_VALUES = new Set([
  'name',
  'email',
  'role',
  'ok',
  'asc',
  'desc',
  'createdat',
  'internal',
  'all',
  'none',
  'other',
]);

/**
 * An enum value the command names ("partner", "sub-admin", "admins"): the longest match wins; of
 * several, the one after "to", "as", "into" or an article, else the last.
 */
export function enumValue(command: Command, param: ParamProfile, allTaken: Taken): Span | undefined {
  // A value in quotes ("status 'new'") is the value itself.
  const quotes = new Set(command.quoted.map((q) => `${q.start}:${q.end}`));
  const taken = allTaken.filter(([a, b]) => !quotes.has(`${a}:${b}`));
  const hits: Span[] = [];
  const named = new RegExp(`\\b(?:${aliasPattern(param.name)})\\b`, 'i').test(command.text);
  for (const value of param.enumValues) {
    const weak = WEAK_VALUES.has(value.toLowerCase()) || param.enumValues.length > 12;
    if (weak && !named) continue;
    // By stem, so "deprecate" names `deprecated` and "admins" names `admin`.
    const words = splitIdentifier(value)
      .map((w) => `${escapeRe(stem(w))}(?:e|es|ed|d|s|ing|ion)?`)
      .join('[\\s_-]?');
    const others = (VALUE_ALIASES[value] ?? []).map(phrasePattern);
    const pattern = new RegExp(`\\b(?:${[words, ...others].join('|')})\\b`, 'gi');
    for (const m of command.text.matchAll(pattern)) {
      if (overlaps(taken, m.index, m.index + m[0].length)) continue;
      hits.push({ value, start: m.index, end: m.index + m[0].length });
    }
  }
  const kept = hits.filter(
    (h) =>
      !hits.some((o) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start),
  );
  if (kept.length <= 1) return kept[0];
  const introduced = kept.filter((h) =>
    /\b(to|as|into|an?|the|be|now)\s+$/i.test(command.text.slice(0, h.start)),
  );
  return introduced.at(-1) ?? kept.at(-1);
}

/**
 * On or off for a word at [start, end): "CRM on" / "CRM off" right after it, else the nearest
 * switch word before it ("turn on CRM and reviews"), else the nearest after it.
 */
export function polarityAt(lower: string, start: number, end: number): boolean | undefined {
  const post = lower
    .slice(end, end + 60)
    .match(
      /^\s*(?:access\s+|features?\s+)?(?:(?:needs?|has|have|ought) to be\s+|(?:should|must|will|can) be\s+|(?:is|are|be)\s+|[=:]\s*)?(?:switched\s+|turned\s+|toggled\s+|set\s+)?(on|off|back on|enabled|disabled|true|false|yes|no)\b/,
    );
  if (post) return !['off', 'disabled', 'false', 'no'].includes(post[1] ?? '');
  // Matched on the whole text, so a switch word may look ahead ("pull Dave's AI access").
  const lastOn = lastMatch(lower, ON_WORDS, start);
  const lastOff = lastMatch(lower, OFF_WORDS, start);
  if (lastOn >= 0 || lastOff >= 0) return lastOn > lastOff;
  const nextOn = firstMatch(lower, ON_WORDS, end);
  const nextOff = firstMatch(lower, OFF_WORDS, end);
  if (nextOn < 0 && nextOff < 0) return undefined;
  if (nextOn < 0) return false;
  if (nextOff < 0) return true;
  return nextOn < nextOff;
}

/** Where the last match starting before `limit` starts, or -1. */
function lastMatch(text: string, re: RegExp, limit: number): number {
  let index = -1;
  for (const m of text.matchAll(new RegExp(re.source, 'g')))
    if (m.index + m[0].length <= limit) index = m.index;
  return index;
}

/** Where the first match starting at or after `from` starts, or -1. */
function firstMatch(text: string, re: RegExp, from: number): number {
  for (const m of text.matchAll(new RegExp(re.source, 'g'))) if (m.index >= from) return m.index;
  return -1;
}

/** Where a property is named in the command, if it is. */
function mentionOf(command: Command, name: string, taken: Taken): Span | undefined {
  const pattern = new RegExp(`\\b(?:${aliasPattern(name)})\\b`, 'gi');
  for (const m of command.text.matchAll(pattern))
    if (!overlaps(taken, m.index, m.index + m[0].length))
      return { value: name, start: m.index, end: m.index + m[0].length };
  return undefined;
}

/** Whether the command names a field ("job title", "phone number") outside the spans taken. */
export function namesField(command: Command, name: string, taken: Taken): boolean {
  return mentionOf(command, name, taken) !== undefined;
}

/** A boolean parameter named in the command: true, or false when switched off or negated. */
export function booleanValue(
  command: Command,
  name: string,
  taken: Taken,
): { value: boolean; span: Span } | undefined {
  const span = mentionOf(command, name, taken);
  if (!span) return undefined;
  const before = command.lower.slice(Math.max(0, span.start - 12), span.start);
  if (/\b(un|not|no|non)[\s-]*$/.test(before) || /\bun$/.test(before)) return { value: false, span };
  // "unfeature": the alias itself says off.
  if (/^un/i.test(command.text.slice(span.start, span.end)) && !/^un/i.test(name))
    return { value: false, span };
  return { value: polarityAt(command.lower, span.start, span.end) ?? true, span };
}

/**
 * An object of switches (feature toggles, notification channels × events) from the properties the
 * command names; nested objects are filled for the sub-objects named, or for all of them when
 * none is. Undefined when nothing is named or a switch has no clear direction.
 */
export function flagsValue(
  command: Command,
  schema: Schema,
  taken: Taken,
  spans: Span[] = [],
): Record<string, unknown> | undefined {
  const props = Object.entries(schema.properties ?? {});
  const leaves = props.filter(([, s]) => s.type === 'boolean');
  const groups = props.filter(([, s]) => s.type === 'object' && s.properties);
  const out: Record<string, unknown> = {};
  for (const [key] of leaves) {
    const found = booleanValue(command, key, taken);
    if (!found) continue;
    out[key] = found.value;
    spans.push(found.span);
  }
  if (groups.length) {
    const named = groups.filter(([key]) => mentionOf(command, key, taken));
    for (const [key, sub] of named.length ? named : groups) {
      const inner = flagsValue(command, sub, taken, spans);
      if (inner) out[key] = inner;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

const NUM = '(\\d+|one|two|three|four|five|six|seven|eight|nine|ten|twenty)';
const LESS = '(?:less|fewer|lower|below|under|worse)';
const MORE = '(?:more|higher|above|over|better|up)';

/**
 * The patterns for a number parameter, each with the adjustment its words make: `maxRating` is
 * "at most 2 stars", "2 stars or less", "under 3 stars" (2); `minScore` "at least 50", "50+";
 * a plain one "page 2", "3 stars" (not followed by "or less").
 */
function numberPatterns(name: string): [RegExp, number][] {
  const bound = name.match(/^(max|min)(?:imum)?([A-Z].*)$/);
  if (!bound) {
    const alias = aliasPattern(name);
    return [
      [
        new RegExp(
          `(?<!(?:most|least|to|under|over|below|above|than)\\s)\\b${NUM}[\\s-]+(?:${alias})\\b(?!\\s+(?:or|and)\\s+(?:${LESS}|${MORE}))`,
          'gi',
        ),
        0,
      ],
      [new RegExp(`\\b(?:${alias})\\b\\s*(?:of|to|=|:|is|at)?\\s*${NUM}\\b(?!\\s+(?:or|and)\\s)`, 'gi'), 0],
    ];
  }
  const base = (bound[2] ?? '').charAt(0).toLowerCase() + (bound[2] ?? '').slice(1);
  const alias = aliasPattern(base);
  const unit = `(?:[\\s-]+(?:${alias}))`;
  if (bound[1] === 'max')
    return [
      [new RegExp(`\\b(?:at most|up to|no more than|max(?:imum)?(?: of)?)\\s+${NUM}${unit}?\\b`, 'gi'), 0],
      [new RegExp(`(?:<=|=<|≤)\\s*${NUM}${unit}?\\b`, 'gi'), 0],
      [new RegExp(`(?:<|below)\\s*${NUM}${unit}\\b`, 'gi'), -1],
      // "1 or 2 stars", "1- and 2-star", "1-2 stars": from the bottom up to the second number.
      [new RegExp(`\\b(?:1|one)${unit}?-?\\s*(?:or|and|&|to|-)\\s*${NUM}${unit}\\b`, 'gi'), 0],
      [
        new RegExp(`\\b${NUM}${unit}\\s+(?:max(?:imum)?|at most|tops|or fewer|or lower|or below)\\b`, 'gi'),
        0,
      ],
      [new RegExp(`\\b(?:under|below|less than|fewer than)\\s+${NUM}${unit}\\b`, 'gi'), -1],
      [new RegExp(`\\b${NUM}${unit}?\\s+(?:or|and)\\s+${LESS}\\b`, 'gi'), 0],
      [new RegExp(`\\b${NUM}\\s+or\\s+${LESS}${unit}\\b`, 'gi'), 0],
      [new RegExp(`\\b(?:${aliasPattern(name)})\\b\\s*(?:of|=|:|is)?\\s*${NUM}\\b`, 'gi'), 0],
    ];
  return [
    [new RegExp(`\\b(?:at least|no less than|min(?:imum)?(?: of)?)\\s+${NUM}${unit}?\\b`, 'gi'), 0],
    [new RegExp(`(?:>=|=>|≥)\\s*${NUM}${unit}?\\b`, 'gi'), 0],
    [new RegExp(`\\b(?:over|above|more than)\\s+${NUM}${unit}\\b`, 'gi'), 1],
    [new RegExp(`\\b${NUM}${unit}?\\s+(?:or|and)\\s+${MORE}\\b`, 'gi'), 0],
    [new RegExp(`\\b${NUM}\\+${unit}?`, 'gi'), 0],
    [new RegExp(`\\b(?:${aliasPattern(name)})\\b\\s*(?:of|=|:|is)?\\s*${NUM}\\b`, 'gi'), 0],
  ];
}

/** A number for a numeric parameter, from the words around it (see `numberPatterns`). */
export function numberValue(command: Command, param: ParamProfile, taken: Taken): Span | undefined {
  for (const [pattern, shift] of numberPatterns(param.name)) {
    for (const m of command.text.matchAll(pattern)) {
      if (overlaps(taken, m.index, m.index + m[0].length)) continue;
      const word = numberWord(m[1] ?? '');
      if (word === undefined) continue;
      const n = word + shift;
      const { minimum, maximum } = param.schema;
      if ((minimum !== undefined && n < minimum) || (maximum !== undefined && n > maximum)) continue;
      return { value: String(n), start: m.index, end: m.index + m[0].length };
    }
  }
  return undefined;
}
