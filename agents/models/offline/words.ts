/** One word of a command, with where it stands in the (normalised) text. */
export interface Word {
  /** As typed (possessive `'s` removed). */
  raw: string;
  lower: string;
  stem: string;
  start: number;
  end: number;
  capitalized: boolean;
  possessive: boolean;
}

/** Curly quotes and dashes as people paste them, made plain so patterns stay simple. */
export function normalise(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d\u00ab\u00bb]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A light suffix stripper: the same rules run over the command and over the tools' names and
 * descriptions, so "sessions"/"session", "impersonate"/"impersonation", "promoted"/"promote" meet.
 */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/'s$/, '');
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.endsWith('ations') || w.endsWith('ation')) w = w.replace(/ations?$/, 'at');
  else if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** Splits `users_set_role`, `jobTitle`, `pageSize` and prose into lowercase words. */
export function splitIdentifier(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** The words of a text, skipping the spans given (emails, quoted values… already taken). */
export function words(text: string, skip: readonly [number, number][] = []): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(/[A-Za-z0-9][A-Za-z0-9'-]*/g)) {
    const start = m.index;
    const end = start + m[0].length;
    if (skip.some(([a, b]) => start < b && end > a)) continue;
    const possessive = /'s?$/i.test(m[0]) && m[0].length > 2;
    const raw = m[0].replace(/'s?$/i, '').replace(/-+$/, '');
    if (!raw) continue;
    out.push({
      raw,
      lower: raw.toLowerCase(),
      stem: stem(raw),
      start,
      end,
      capitalized: /^[A-Z]/.test(raw),
      possessive,
    });
  }
  return out;
}

/** Stems of a prose text (descriptions), stop words removed. */
export function stemsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of splitIdentifier(text)) if (!STOP_WORDS.has(w)) out.add(stem(w));
  return out;
}

/** Words that carry no intent and are never names. */
export const STOP_WORDS = new Set(
  `a an the to for of in on at by with from as is are was were be been being am and or but nor so
  please pls kindly could would will can may might shall should must let lets let's
  i we us our ours you your yours he she him her his hers they them their theirs it its me my mine myself
  this that these those there here what who whom whose which when where why how
  do does did done doing have has had get got also too again just now then than very really
  all every each any some someone somebody anyone anybody everyone everybody something anything nothing
  one ones other others another own same such only more most much many few lot lots
  want wants need needs like would've i'd i'm i'll you're it's that's what's who's
  hi hello hey thanks thank cheers ok okay sure yes no not em ya u
  about into onto over under up down out off via per
  right away quickly asap immediately now today's currently
  shouldn't can't cannot don't doesn't didn't won't wouldn't isn't aren't wasn't haven't hasn't mustn't
  couldn't i've we're they're she's he's there's let's`
    .split(/\s+/)
    .filter(Boolean),
);

/** The number a word spells, for "one" … "twenty" and digits. */
export function numberWord(word: string): number | undefined {
  if (/^\d+$/.test(word)) return Number(word);
  const i = NUMBER_WORDS.indexOf(word.toLowerCase());
  return i >= 0 ? i : undefined;
}

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];

/** A text as a literal inside a regular expression. */
export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
