import { INTENSIFIERS, NEGATORS, SENTIMENT_TERMS, SOFTENERS, TOPICS } from './lexicon.ts';

export type SentimentLabel = 'positive' | 'neutral' | 'negative';

export interface Analysis {
  /** -1 (very negative) … 1 (very positive). */
  score: number;
  label: SentimentLabel;
  topics: string[];
}

const MAX_PHRASE = 3;
const NEGATION_WINDOW = 3;
// VADER's normalisation: a sum of weights squashed into -1..1; 15 keeps one strong word near ±0.6.
const ALPHA = 15;
const NEUTRAL_BAND = 0.05;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .split(/[^a-z0-9']+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

const isNegator = (word: string) => NEGATORS.has(word.replace(/'/g, '')) || word.endsWith("n't");

/** The longest lexicon term starting at `i`: its weight and how many words it spans. */
function termAt(tokens: string[], i: number): { weight: number; length: number } | undefined {
  for (let n = Math.min(MAX_PHRASE, tokens.length - i); n >= 1; n--) {
    const weight = SENTIMENT_TERMS[tokens.slice(i, i + n).join(' ')];
    if (weight !== undefined) return { weight, length: n };
  }
  return undefined;
}

function clauseSum(tokens: string[]): number {
  let sum = 0;
  // A negator reaches forward to the next term only: "never disappointed, highly recommend".
  let lastTermEnd = 0;
  for (let i = 0; i < tokens.length; ) {
    const term = termAt(tokens, i);
    if (!term) {
      i += 1;
      continue;
    }
    let weight = term.weight;
    const before = tokens[i - 1] ?? '';
    if (INTENSIFIERS.has(before)) weight *= 1.5;
    else if (SOFTENERS.has(before)) weight *= 0.5;
    if (tokens.slice(Math.max(lastTermEnd, i - NEGATION_WINDOW), i).some(isNegator)) weight *= -0.75;
    sum += weight;
    i += term.length;
    lastTermEnd = i;
  }
  return sum;
}

function sentenceSum(sentence: string): number {
  const tokens = words(sentence);
  const but = tokens.lastIndexOf('but');
  if (but < 0) return clauseSum(tokens);
  // What follows "but" is what the writer means: "great food but terrible service" is negative.
  return 0.5 * clauseSum(tokens.slice(0, but)) + 1.5 * clauseSum(tokens.slice(but + 1));
}

function labelOf(score: number): SentimentLabel {
  if (score >= NEUTRAL_BAND) return 'positive';
  if (score <= -NEUTRAL_BAND) return 'negative';
  return 'neutral';
}

/** The topics a text mentions, in the lexicon's order. */
export function topicsOf(text: string): string[] {
  const tokens = words(text);
  const joined = ` ${tokens.join(' ')} `;
  const matches = (entry: string) => {
    if (entry.includes(' ')) return joined.includes(` ${entry} `);
    if (entry.endsWith('*')) return tokens.some((t) => t.startsWith(entry.slice(0, -1)));
    return tokens.includes(entry);
  };
  return Object.entries(TOPICS)
    .filter(([, entries]) => entries.some(matches))
    .map(([topic]) => topic);
}

/**
 * Sentiment and topics of a review from its text; a review without text, or whose text carries no
 * sentiment words, takes its sentiment from the stars (5 → 1, 3 → 0, 1 → -1).
 */
export function analyzeReview(comment: string | null | undefined, rating: number): Analysis {
  const text = comment?.trim() ?? '';
  const sum = text
    .split(/[.!?;\n]+/)
    .map(sentenceSum)
    .reduce((a, b) => a + b, 0);
  const score = sum === 0 ? (rating - 3) / 2 : sum / Math.sqrt(sum * sum + ALPHA);
  const rounded = Math.round(score * 1000) / 1000;
  return { score: rounded, label: labelOf(rounded), topics: text ? topicsOf(text) : [] };
}

/** Whether a review counts as negative: two stars or fewer, or a negative sentiment. */
export function isNegative(review: { rating: number; sentimentLabel: SentimentLabel }): boolean {
  return review.rating <= 2 || review.sentimentLabel === 'negative';
}
