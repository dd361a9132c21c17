import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { isVerb } from './lexicon.ts';
import { splitIdentifier, stem, stemsOf } from './words.ts';

/** The part of JSON Schema the model reads. */
export interface Schema {
  type?: string | string[];
  description?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

export type ParamKind =
  | 'person'
  | 'tenant'
  | 'ref'
  | 'id'
  | 'email'
  | 'url'
  | 'phone'
  | 'date'
  | 'enum'
  | 'boolean'
  | 'number'
  | 'flags'
  | 'org'
  | 'text'
  | 'other';

export interface ParamProfile {
  name: string;
  kind: ParamKind;
  schema: Schema;
  required: boolean;
  /** Stems of the parameter's name words (`jobTitle` → job, titl). */
  stems: string[];
  enumValues: string[];
  /** Optional person parameter that means "yourself" when left out. */
  selfWhenOmitted: boolean;
  /** For `id` parameters: the id prefix, e.g. `key_`. */
  idPrefix?: string | undefined;
}

/** What the model knows about one tool: only what the AI SDK hands it (name, description, schema). */
export interface ToolProfile {
  name: string;
  description: string;
  schema: Schema;
  server: string;
  /** Stems of the name words after the server prefix. */
  terms: string[];
  verbs: string[];
  descStems: Set<string>;
  /** Stems of parameter names, enum values and nested property names. */
  paramStems: Set<string>;
  params: ParamProfile[];
  readOnly: boolean;
}

const READ_TERMS = new Set(
  ['list', 'get', 'search', 'find', 'show', 'status', 'verify', 'timeline', 'count', 'read', 'check'].map(
    stem,
  ),
);
/** Description openers of tools that only read: "One user's history…", "Whether…", "Your conversations…". */
const READ_OPENERS = /^(one|the|a|an|your|which|whether|what|who|how|active|all)$/;

/**
 * Whether a tool only reads. The AI SDK hands the model no annotations, so this comes from the
 * words: a description opening with a read verb or a noun phrase, else the verbs of the name.
 */
function readsOnly(terms: readonly string[], description: string): boolean {
  const first =
    description
      .trim()
      .split(/\s+/)[0]
      ?.toLowerCase()
      .replace(/[^a-z]/g, '') ?? '';
  if (READ_TERMS.has(stem(first)) || READ_OPENERS.test(first)) return true;
  if (isVerb(stem(first))) return false;
  // A name without a verb described by a noun phrase ("Catalog figures…") names what it shows.
  if (!terms.some(isVerb)) return true;
  return terms.some((t) => READ_TERMS.has(t)) && !terms.some((t) => isVerb(t) && !READ_TERMS.has(t));
}

/** Profiles of the function tools of a call. */
export function profileTools(
  options: Pick<LanguageModelV3CallOptions, 'tools' | 'toolChoice'>,
): ToolProfile[] {
  if (options.toolChoice?.type === 'none') return [];
  const tools = (options.tools ?? []).flatMap((t) => (t.type === 'function' ? [t] : []));
  const only = options.toolChoice?.type === 'tool' ? options.toolChoice.toolName : undefined;
  return tools
    .filter((t) => !only || t.name === only)
    .map((t) => profileTool(t.name, t.description ?? '', t.inputSchema as Schema));
}

export function profileTool(name: string, description: string, schema: Schema): ToolProfile {
  const [server = '', ...rest] = name.split('_');
  const terms = rest.flatMap(splitIdentifier).map(stem);
  const required = new Set(schema.required ?? []);
  const params = Object.entries(schema.properties ?? {}).map(([p, s]) => profileParam(p, s, required.has(p)));
  const paramStems = new Set<string>();
  for (const p of params) {
    for (const s of p.stems) paramStems.add(s);
    for (const v of p.enumValues) for (const w of splitIdentifier(v)) paramStems.add(stem(w));
    for (const key of nestedKeys(p.schema)) for (const w of splitIdentifier(key)) paramStems.add(stem(w));
  }
  return {
    name,
    description,
    schema,
    server: stem(server),
    terms,
    verbs: terms.filter(isVerb),
    descStems: stemsOf(description),
    paramStems,
    params,
    readOnly: readsOnly(terms, description),
  };
}

function profileParam(name: string, schema: Schema, required: boolean): ParamProfile {
  const words = splitIdentifier(name);
  const description = schema.description ?? '';
  return {
    name,
    kind: kindOf(name, schema),
    schema,
    required,
    stems: words.map(stem),
    enumValues: (schema.enum ?? []).filter((v): v is string => typeof v === 'string'),
    selfWhenOmitted: !required && /omit(ted)? for (your ?(own|self)|you\b)|yourself/i.test(description),
    idPrefix: schema.pattern?.match(/^\^([a-z]{2,8}_)/)?.[1] ?? description.match(/\b([a-z]{2,8}_)…/)?.[1],
  };
}

function kindOf(name: string, schema: Schema): ParamKind {
  const description = schema.description ?? '';
  const formats = [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].map((s) => s.format);
  const type = schema.type ?? schema.anyOf?.[0]?.type;
  if (formats.includes('date') || formats.includes('date-time')) return 'date';
  if (type === 'boolean') return 'boolean';
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'object') return schema.properties ? 'flags' : 'other';
  if (type === 'array') return 'other';
  if (schema.enum) return 'enum';
  if (schema.format === 'email' || name === 'email') return 'email';
  if (formats.includes('uri') || formats.includes('url')) return 'url';
  if (/phone/i.test(name)) return 'phone';
  if (/^\^[a-z]{2,8}_/.test(schema.pattern ?? '')) return 'id';
  if (name === 'user' || (/\bemail\b/i.test(description) && /\bid\b/i.test(description))) return 'person';
  if (name === 'tenant' || (/\btenant\b/i.test(description) && /\bslug\b/i.test(description)))
    return 'tenant';
  if (/\b(id|slug)\b/i.test(description) && !/\bname\b/i.test(name)) return 'ref';
  if (/^(from|to|since|until|before|after)$/i.test(name)) return 'date';
  if (/^(company|organi[sz]ation|business|employer|firm)(name)?$/i.test(name)) return 'org';
  return 'text';
}

/** Property names of nested objects (feature flags, notification channels and events). */
function nestedKeys(schema: Schema): string[] {
  const out: string[] = [];
  for (const [key, sub] of Object.entries(schema.properties ?? {})) out.push(key, ...nestedKeys(sub));
  return out;
}
