import nlp from 'compromise';

/**
 * Part-of-speech tags from `compromise`, so ordinary words are not taken for names: a lowercase
 * "nuke", "went" or "possible" is a verb or an adjective, "a bug" or "her laptop" a common noun,
 * while "carol" and "Dana Lee" are people and "HubSpot" a proper noun.
 */
export interface WordClass {
  /** Known or tagged as a person's or a thing's proper name. */
  proper: boolean;
  /** A word class that names never take (verb, adjective, adverb, preposition, date, number…). */
  notName: boolean;
  /** Right after an article or a possessive ("a bug", "her laptop"): a common noun if lowercase. */
  determined: boolean;
}

const NOT_NAME = [
  'Verb',
  'Adjective',
  'Adverb',
  'Preposition',
  'Conjunction',
  'Determiner',
  'Expression',
  'Date',
  'Value',
  'QuestionWord',
  'Pronoun',
];

const GUESSED_NOT_NAME = ['Verb', 'Adjective', 'Adverb'];
const LEXICON = (nlp.model() as { one: { lexicon: Record<string, unknown> } }).one.lexicon;

/** "the" is left out: "the acme tenant", "the hubspot connector" name a business or a product. */
const DETERMINERS = new Set(
  'a an her his my your their our its this these those some any every each another no'.split(' '),
);

/** The class of each word of a text, by the offset where the word starts. */
export function wordClasses(text: string): Map<number, WordClass> {
  const out = new Map<number, WordClass>();
  const docs = nlp(text).json({ offset: true }) as {
    terms: { tags: string[]; offset: { start: number } }[];
  }[];
  for (const doc of docs) {
    let previous = '';
    for (const term of doc.terms as { text: string; tags: string[]; offset: { start: number } }[]) {
      const tags = term.tags;
      // "Bob from Northwind…" is tagged a verb at the start; the lexicon knows it as a first name.
      const known = String(LEXICON[term.text.toLowerCase().replace(/'s$/, '')] ?? '');
      const proper = tags.includes('ProperNoun') || tags.includes('Person') || /Name|Person/.test(known);
      // A word the tagger does not know gets guessed tags; only a guess from its shape or place
      // ("possible", "to reproduce") is trusted, not "Expression" for a brand before a colon.
      const trusted = LEXICON[term.text.toLowerCase()] !== undefined ? NOT_NAME : GUESSED_NOT_NAME;
      out.set(term.offset.start, {
        proper,
        notName: !proper && trusted.some((t) => tags.includes(t)),
        determined: DETERMINERS.has(previous),
      });
      previous = term.text.toLowerCase();
    }
  }
  return out;
}
