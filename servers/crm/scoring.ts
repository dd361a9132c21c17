import type { LeadStage, ScoreSignal } from './schema.ts';

/**
 * The lead score: a sum of named signals, so anyone can see why a lead scores what it does.
 * Rules, not a model: the same lead always scores the same.
 */
const SOURCE_POINTS: Record<string, number> = {
  referral: 20,
  event: 15,
  phone: 15,
  website: 10,
  email: 10,
  social: 5,
};
const STAGE_POINTS: Partial<Record<LeadStage, number>> = {
  contacted: 5,
  qualified: 20,
  proposal: 30,
  won: 40,
};
const INTENT_WORDS =
  /\b(pric(e|ing)|quote|buy|purchase|order|book(ing)?|urgent|asap|budget|contract|demo)\b/i;

export interface ScoredLead {
  email: string | null;
  phone: string | null;
  company: string | null;
  source: string | null;
  notes: string | null;
  stage: LeadStage;
  /** Calls and meetings logged for the lead. */
  engagements: number;
}

export function scoreLead(lead: ScoredLead): { score: number; signals: ScoreSignal[] } {
  const signals: ScoreSignal[] = [];
  const add = (signal: string, points: number) => {
    if (points > 0) signals.push({ signal, points });
  };
  if (lead.stage === 'lost') return { score: 0, signals: [{ signal: 'lost', points: 0 }] };
  add('has an email address', lead.email ? 10 : 0);
  add('has a phone number', lead.phone ? 10 : 0);
  add('works for a company', lead.company ? 10 : 0);
  const source = lead.source?.toLowerCase().trim();
  if (source && SOURCE_POINTS[source]) add(`came from ${source}`, SOURCE_POINTS[source]);
  if (lead.notes && INTENT_WORDS.test(lead.notes)) add('notes show buying intent', 15);
  add(`reached the ${lead.stage} stage`, STAGE_POINTS[lead.stage] ?? 0);
  add('calls and meetings logged', Math.min(lead.engagements * 5, 20));
  const total = signals.reduce((sum, s) => sum + s.points, 0);
  return { score: Math.min(total, 100), signals };
}
