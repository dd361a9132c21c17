import { type DateRange, dateRange } from './dates.ts';
import { wordClasses } from './grammar.ts';
import { asksToSee, asksToSeeInWords, conceptGroupsIn, isVerb, verbsIn } from './lexicon.ts';
import { normalise, STOP_WORDS, words } from './words.ts';

/** A piece of the command taken as a value: an email, a quoted text, an id. */
export interface Span {
  value: string;
  start: number;
  end: number;
}

/** What a command says, before any tool is chosen. */
export interface Command {
  text: string;
  lower: string;
  emails: Span[];
  /** Web addresses (`https://…`). */
  urls: Span[];
  quoted: Span[];
  /** Prefixed ids such as `usr_01J…`, `key_01J…`. */
  ids: Span[];
  dates: DateRange;
  /** The caller is the one the command is about ("me", "my", "myself", "what did I do"). */
  self: boolean;
  /** "for me", "to me": the caller, unless the command names someone else. */
  selfUnlessOther: boolean;
  /** "our team"", "my company", "here": the caller's own tenant. */
  ownTenant: boolean;
  /** Stems of the words that are not stop words. */
  stems: Set<string>;
  /** Tool-name verbs the command expresses (stemmed). */
  verbs: Set<string>;
  /** Object concepts its phrases name (stemmed). */
  concepts: Set<string>;
  /** The same, one group per phrase. */
  conceptGroups: string[][];
  /** A question or a request to see something. */
  asksToSee: boolean;
  /** A request to see something in so many words ("show", "who", "list"). */
  readCue: boolean;
  /** Spans no longer free for names. */
  taken: [number, number][];
}

const URL_PATTERN = /\bhttps?:\/\/[^\s"'<>]+[^\s"'<>.,;:!?)]/gi;
const EMAIL = /[A-Za-z0-9_'+.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const QUOTED = /"([^"]+)"|(?<![A-Za-z])'([^']+)'(?![A-Za-z])/g;
const ID = /\b[a-z]{2,8}_[0-9A-HJKMNP-TV-Z]{26}\b/g;
/** "give me a list of …": asking to be handed something to read, not to give anybody anything. */
const HAND_OVER =
  /\b(?:get|send|hand|fetch|bring) (?:me|us)\b|\bgive (?:me|us)(?= (?:a |an |the )?(?:list|overview|summary|rundown|breakdown|details|info|information|report|count|number)\b)/gi;
/** "that nobody has answered", "we haven't replied to": what is not done describes, it orders nothing. */
const UNDONE =
  /\b(?:not|never|haven't|hasn't|hadn't|didn't|nobody|no one|no-one)(?: (?:has|have|had|yet|been|ever|already))* \w+ed\b|\b(?:no|without(?: a| an| any)?|awaiting(?: a)?|waiting (?:on|for)(?: a)?|needs?(?: a)?|pending)\s+(?:reply|replies|response|responses|answer|answers)\b|\b(?:still|already|currently|that are|which are) (?:marked|set|flagged|in)\b/gi;

/** Reads a command: values with a fixed shape first (emails, quotes, ids, dates), then words. */
export function readCommand(raw: string, today: string): Command {
  const text = withoutReasons(reviewAsVerb(normalise(raw)));
  const lower = text.toLowerCase();
  const spans = (re: RegExp, group = 0): Span[] =>
    [...text.matchAll(re)].map((m) => ({
      value: (group ? (m[1] ?? m[2]) : m[0]) ?? m[0],
      start: m.index,
      end: m.index + m[0].length,
    }));
  const urls = spans(URL_PATTERN);
  const outsideUrls = (s: Span) => !urls.some((u) => s.start < u.end && s.end > u.start);
  const emails = spans(EMAIL)
    .filter(outsideUrls)
    .map((s) => ({ ...s, value: s.value.replace(/\.$/, '') }));
  const quoted = spans(QUOTED, 1);
  const ids = spans(ID);
  const dates = dateRange(text, today);
  const taken: [number, number][] = [
    ...urls.map((s) => [s.start, s.end] as [number, number]),
    ...emails.map((s) => [s.start, s.end] as [number, number]),
    ...quoted.map((s) => [s.start, s.end] as [number, number]),
    ...ids.map((s) => [s.start, s.end] as [number, number]),
    ...dates.spans,
  ];
  const free = words(text, taken);
  // Values (an email's domain, a quoted note) say nothing about what to do.
  const bare = blank(lower, [...urls, ...emails, ...quoted, ...ids, ...spans(UNDONE), ...spans(HAND_OVER)]);
  const conceptGroups = conceptGroupsIn(bare);
  const concepts = new Set(conceptGroups.flat());
  // Phrases that mean a verb ("sign carol out" → revoke) count as saying it.
  const verbs = verbsIn(bare);
  for (const c of concepts) if (isVerb(c)) verbs.add(c);
  return {
    text,
    lower,
    emails,
    urls,
    quoted,
    ids,
    dates,
    self: refersToSelf(lower),
    selfUnlessOther: /\b(for|to) me\b/.test(lower),
    ownTenant:
      /\b(our|my) (team|company|business|staff|tenant|organi[sz]ation|org|people|users|employees|shop|store|studio)\b|\bworks? here\b|\bhere at\b/.test(
        lower,
      ),
    stems: new Set(free.filter((w) => !STOP_WORDS.has(w.lower)).map((w) => w.stem)),
    verbs,
    concepts,
    conceptGroups,
    asksToSee: asksToSee(lower),
    readCue: asksToSeeInWords(lower),
    taken,
  };
}

/**
 * "I'd like to review everything Carol did": the verb "review" (to look over), not the reviews
 * customers write, when it stands where a verb does and the command names no reviews or stars.
 * It is read as "check" (same length, so positions hold).
 */
function reviewAsVerb(text: string): string {
  if (/\breviews\b|\bstars?\b|\brated\b|\brating/i.test(text)) return text;
  return text.replace(
    /(^|\b(?:to|please|pls|let me|let's|can you|could you|i'll|we'll|and|then|quickly|also)\s+)review\b/i,
    '$1check ',
  );
}

/**
 * "I'm preparing Acme Plumbing's renewal, so I need a list of their users", "… because she asked":
 * a reason says nothing about what to do. Its words are blanked (positions kept) except the names
 * and emails in it, which "her" or "their" in the request may point back to.
 */
function withoutReasons(text: string): string {
  const before = text.match(/^(.{12,}?)(?:[,.;:]\s*|\s+-\s+|\s+)so\s+(?!that\b)(?=\S)/i);
  const after = text.match(/\s(?:because|as she|as he|as they)\s.+$/i);
  const spans: [number, number][] = [];
  // "…, so please list …" is a request after a reason; "sign in as Nina so I can check" is a purpose.
  const request = before ? text.slice(before[0].length) : '';
  const purpose =
    /^(?:i|we|you|he|she|they|it|that)\b(?!'d like| would like| want| need| have to| must)/i.test(request);
  if (before?.[1] && before[1].trim().split(/\s+/).length >= 3 && !purpose) spans.push([0, before[1].length]);
  if (after) spans.push([after.index ?? text.length, text.length]);
  if (!spans.length) return text;
  const classes = wordClasses(text);
  let out = text;
  for (const [from, to] of spans) {
    for (const m of text.slice(from, to).matchAll(/\S+/g)) {
      const start = from + m.index;
      const word = m[0];
      const keep = word.includes('@') || classes.get(start)?.proper === true || /^[A-Z]/.test(word);
      if (!keep)
        out = out.slice(0, start) + word.replace(/[A-Za-z0-9']/g, '_') + out.slice(start + word.length);
    }
  }
  return out;
}

/** The text with the spans given blanked out (one word of underscores each), positions kept. */
function blank(text: string, spans: readonly Span[]): string {
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + '_'.repeat(s.end - s.start) + out.slice(s.end);
  return out;
}

function refersToSelf(text: string): boolean {
  // "… and check for myself": who looks, not whom the command is about.
  const lower = text.replace(/\b(?:for|by) myself\b/g, ' ');
  if (/\bmy(self)?\b|\bmine\b/.test(lower)) return true;
  if (/\bwhat (did|have|had) i\b|\bam i\b|\bi (did|changed|have done)\b/.test(lower)) return true;
  for (const m of lower.matchAll(/\bme\b/g)) {
    const before = lower.slice(0, m.index).trim().split(/\s+/).at(-1) ?? '';
    // "show me …", "log me in as Nina": the caller acts, the command is about someone else.
    if (
      !/^(show|tell|give|get|let|help|for|to|send|find|pull|list|display|remind|ask|bring|switch|log|sign|jump|hop|take|put)$/.test(
        before,
      )
    )
      return true;
  }
  return false;
}
