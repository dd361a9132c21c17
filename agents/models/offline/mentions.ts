import { wordClasses } from './grammar.ts';
import { STOP_WORDS, stem, type Word, words } from './words.ts';

/** A run of words in a command that may name a person, a business or another thing. */
export interface Mention {
  text: string;
  start: number;
  end: number;
  /** The word before it, lowercased ("at", "for", "to"…). */
  before: string;
  /** The word after it, lowercased. */
  after: string;
  capitalized: boolean;
  /** It ends with 's ("Acme Corp's Dana Lee"). */
  possessive: boolean;
}

/** Nouns after which the words before name a business ("acme plumbing staff"). */
const GROUP_AFTER = new Set(
  'staff team users user people employees members member tenant company business crew office accounts'.split(
    ' ',
  ),
);

/** Words a command uses that are not names (beside stop words and the tools' own words). */
const COMMON = new Set(
  `account accounts everything everybody platform access number numbers user users person people team staff member
  members employee employees colleague colleagues folks guy guys gal everyone anyone account's business company
  org organisation organization tenant tenants firm agency client clients partner partners admin admins
  immediately straight quick quickly soon asap later right now done okay thing things stuff info information detail
  details list show display tell give make let set get put see view look find check pull work works working
  based employed belong belongs belonging currently current active inactive new old recent recently latest last
  first next previous past today yesterday tomorrow week weeks month months year years day days hour hours minute
  minutes since until till before after ago during between through within morning afternoon evening night
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
  september october november december jan feb mar apr jun jul aug sep sept oct nov dec
  again also all any both either neither each entire whole full complete completely totally fully
  his her their them him she he they its named called titled labeled labelled
  kindly please thanks thank could would should can will might must shall go going gonna wanna want need like
  everywhere anywhere somewhere here there where which what when why how who whom whose
  sure yes yeah yep nope no not never always still just only even else instead rather
  quite pretty really very much many more most less least few several some lot lots bit
  good great fine nice cool awesome perfect able unable anymore longer use using used allowed allow
  bit while moment minute second time times way ways kind sort plain regular normal usual else
  lower higher fewer less least most below above under over better worse exactly ahead`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Runs of words that are neither stop words nor words the tools or the lexicon use: the names in
 * a command ("Carol Diaz", "carol", "Acme Plumbing"). `vocabulary` holds stems.
 */
export function mentionsIn(
  text: string,
  skip: readonly [number, number][],
  vocabulary: Set<string>,
): Mention[] {
  const all = words(text);
  const classes = wordClasses(text);
  const atSentenceStart = (w: Word) => /(^|[.!?:;]\s*)$/.test(text.slice(0, w.start));
  // A capitalised word mid-sentence, or a word the tagger knows as a name.
  const nameLike = (w: Word) => {
    if (classes.get(w.start)?.proper) return true;
    if (!w.capitalized) return false;
    // At a sentence's start only a run of capitalised words ("Acme Plumbing — …") reads as a name.
    const next = all[all.indexOf(w) + 1];
    return !atSentenceStart(w) || (!!next && next.capitalized && /^\s+$/.test(text.slice(w.end, next.start)));
  };
  // A lowercase verb, adjective… or a common noun after "a"/"her": an ordinary word, not a name.
  const ordinary = (w: Word, i: number) => {
    const c = classes.get(w.start);
    // "acme plumbing staff": the words before a group's noun name the group.
    if (GROUP_AFTER.has(all[i + 1]?.lower ?? '')) return false;
    return !!c && !nameLike(w) && (c.notName || c.determined);
  };
  const known = (part: string) =>
    STOP_WORDS.has(part) || COMMON.has(part) || vocabulary.has(stem(part)) || vocabulary.has(part);
  const isName = (w: Word, i: number) =>
    !w.lower.split('-').every(known) &&
    !STOP_WORDS.has(w.lower) &&
    !COMMON.has(w.lower) &&
    !vocabulary.has(w.stem) &&
    !vocabulary.has(w.lower) &&
    !/^\d/.test(w.raw) &&
    !ordinary(w, i) &&
    !skip.some(([a, b]) => w.start < b && w.end > a);
  const out: Mention[] = [];
  let run: Word[] = [];
  const flush = (index: number) => {
    const first = run[0];
    const last = run.at(-1);
    if (first && last) {
      const prev = all[index - run.length - 1];
      const next = all[index];
      out.push({
        text: run.map((w) => w.raw).join(' '),
        start: first.start,
        end: last.end,
        before:
          prev && prev.end <= first.start && !gapHasPunctuation(text, prev.end, first.start)
            ? prev.lower
            : '',
        after: next && !gapHasPunctuation(text, last.end, next.start) ? next.lower : '',
        capitalized: run.some((w) => w.capitalized),
        possessive: last.possessive,
      });
    }
    run = [];
  };
  all.forEach((w, i) => {
    const prev = run.at(-1);
    const joined =
      prev &&
      !prev.possessive &&
      /^\s+$/.test(text.slice(prev.end, w.start)) &&
      !gapHasPunctuation(text, prev.end, w.start) &&
      // "nuke carol": an ordinary word does not run into a name.
      nameLike(prev) === nameLike(w);
    if (isName(w, i) && (run.length === 0 || joined)) run.push(w);
    else {
      flush(i);
      if (isName(w, i)) run.push(w);
    }
  });
  flush(all.length);
  return out;
}

function gapHasPunctuation(text: string, from: number, to: number): boolean {
  return /[,;:.!?()]/.test(text.slice(from, to));
}
