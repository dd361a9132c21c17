import type { ParamProfile, ToolProfile } from './catalog.ts';
import type { Command, Span } from './command.ts';
import type { Directory } from './people.ts';
import type { Caller } from './prompt.ts';
import { stem } from './words.ts';

/** What the turn has learnt so far: the directory, and which lookups it already made. */
export interface Known {
  directory: Directory;
  /** Lowercased texts already looked up this turn, per kind (`person:carol`, `tenant:*`). */
  lookedUp: Set<string>;
}

/** A name that needs a lookup tool before the real call. */
export interface Lookup {
  /** `person`, `tenant`, or a parameter name such as `lead` or `service`. */
  kind: string;
  mention: string;
}

/** The arguments of one tool read from a command, and how well the command fits the tool. */
export interface Extraction {
  args: Record<string, unknown>;
  /** One argument set per person when the command names several for a one-person tool. */
  calls: Record<string, unknown>[];
  missing: ParamProfile[];
  lookups: Lookup[];
  ambiguous?: { mention: string; options: string[] } | undefined;
  notFound: string[];
  /** Names set as a slug without a lookup finding them (a guess). */
  guessed: number;
  /** Capitalised names of the command no argument took. */
  unplaced: number;
  /** How well the command fills this tool's parameters: used to choose between tools. */
  fit: number;
  /** Values the command states in so many words (enum values, switches). */
  stated: number;
  /** Stems of the names of the parameters stated ("admin" states `role`). */
  statedStems: Set<string>;
  /** Fields the command names ("job title to …", "my phone number", "called …"). */
  named: number;
  /** The command opens with a value it gives ("deprecate Cloudways", "feature HubSpot"): an order to set it. */
  opensWithValue: boolean;
  /** Whom or what the call is about: people, tenants and other references given or being looked up. */
  refs: number;
  /** What those references are, as name stems: `user` for people, `tenant`, or the parameter's name. */
  refStems: Set<string>;
}

/** An extraction under way: the command, what is taken of it, and how to record a value. */
export interface Draft {
  out: Extraction;
  tool: ToolProfile;
  command: Command;
  caller: Caller;
  known: Known;
  /** Spans of the command already used as values. */
  taken: [number, number][];
  /** Records a value (from an email, a date, a person found…). */
  set(p: ParamProfile, value: unknown): void;
  /** Records a value the command states in so many words, at these spans. */
  state(p: ParamProfile, value: unknown, spans: readonly Span[]): void;
  take(span: Span): void;
}

/** The stems a reference parameter stands for: `user` for people, `tenant`, else its own name. */
export function refStemsOf(p: ParamProfile): string[] {
  if (p.kind === 'person' || p.kind === 'email') return [stem('user'), stem('person'), ...p.stems];
  if (p.kind === 'tenant') return [stem('tenant'), ...p.stems];
  return p.stems;
}

const REFERENCE_KINDS = new Set(['person', 'tenant', 'ref', 'email', 'id']);
const POLITE_OPENING =
  /^(?:(?:please|kindly|pls|can you|could you|would you|will you|go ahead and|just)\s+)*/i;

export function newDraft(tool: ToolProfile, command: Command, caller: Caller, known: Known): Draft {
  const out: Extraction = {
    args: {},
    calls: [],
    missing: [],
    lookups: [],
    notFound: [],
    guessed: 0,
    unplaced: 0,
    fit: 0,
    stated: 0,
    statedStems: new Set(),
    named: 0,
    opensWithValue: false,
    refs: 0,
    refStems: new Set(),
  };
  const opening = command.text.match(POLITE_OPENING)?.[0].length ?? 0;
  const taken: [number, number][] = [...command.taken];
  const take = (span: Span) => {
    taken.push([span.start, span.end]);
  };
  const set = (p: ParamProfile, value: unknown) => {
    out.args[p.name] = value;
    out.fit += p.required ? 2 : 1.5;
    if (REFERENCE_KINDS.has(p.kind)) {
      out.refs += 1;
      for (const s of refStemsOf(p)) out.refStems.add(s);
    }
  };
  const state = (p: ParamProfile, value: unknown, spans: readonly Span[]) => {
    set(p, value);
    out.stated += 1;
    for (const s of p.stems) out.statedStems.add(s);
    for (const span of spans) {
      take(span);
      // "new leads …" describes leads; "deprecate Cloudways" orders a change.
      const next = command.text.slice(span.end).match(/^\s+([A-Za-z]+)/)?.[1];
      if (span.start === opening && !(next && tool.terms.includes(stem(next)))) out.opensWithValue = true;
    }
  };
  return { out, tool, command, caller, known, taken, set, state, take };
}
