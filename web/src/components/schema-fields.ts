import type { JsonSchema } from '../api/types.ts';
import { humanize } from '../format.ts';

/**
 * A tool's JSON schema (from zod) as form fields, and back: raw inputs → validated arguments.
 * Field paths join nested names with dots, as the gateway's `details.fields` do.
 */

export type FieldKind =
  | 'text'
  | 'textarea'
  | 'email'
  | 'date'
  | 'number'
  | 'integer'
  | 'select'
  | 'checkbox'
  | 'tristate'
  | 'object'
  | 'list'
  | 'json'
  | 'file';

export interface FieldSpec {
  path: string;
  label: string;
  schema: JsonSchema;
  required: boolean;
  kind: FieldKind;
  /** Alternatives a text field may match (e.g. a date or a date-time). */
  options?: JsonSchema[];
  children?: FieldSpec[];
}

export type RawValues = Record<string, string | boolean>;
export type FieldErrors = Record<string, string>;

function typeOf(s: JsonSchema): string | undefined {
  return Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
}

function kindOf(s: JsonSchema, required: boolean): Pick<FieldSpec, 'kind' | 'options' | 'schema'> {
  const alternatives = (s.anyOf ?? s.oneOf)?.filter((o) => typeOf(o) !== 'null');
  if (alternatives?.length === 1 && alternatives[0])
    return kindOf({ ...s, ...alternatives[0], anyOf: undefined, oneOf: undefined }, required);
  if (alternatives?.every((o) => typeOf(o) === 'string'))
    return { kind: 'text', options: alternatives, schema: s };
  if (s.enum) return { kind: 'select', schema: s };
  const type = typeOf(s);
  if (type === 'boolean') return { kind: required ? 'checkbox' : 'tristate', schema: s };
  if (type === 'integer') return { kind: 'integer', schema: s };
  if (type === 'number') return { kind: 'number', schema: s };
  if (type === 'string') {
    if ((s as { contentEncoding?: string }).contentEncoding === 'base64') return { kind: 'file', schema: s };
    if (s.format === 'email') return { kind: 'email', schema: s };
    if (s.format === 'date') return { kind: 'date', schema: s };
    return { kind: (s.maxLength ?? 0) > 300 ? 'textarea' : 'text', schema: s };
  }
  if (type === 'object' && s.properties) return { kind: 'object', schema: s };
  if (type === 'array' && s.items && (typeOf(s.items) === 'string' || s.items.enum))
    return { kind: 'list', schema: s };
  return { kind: 'json', schema: s };
}

export function fieldsOf(schema: JsonSchema, prefix = ''): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, s]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    const spec: FieldSpec = {
      path,
      label: humanize(name),
      required: required.has(name),
      ...kindOf(s, required.has(name)),
    };
    if (spec.kind === 'object') spec.children = fieldsOf(spec.schema, path);
    return spec;
  });
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    try {
      return new RegExp(pattern).test(value);
    } catch {
      return true;
    }
  }
}

function stringProblem(s: JsonSchema, value: string): string | undefined {
  if (s.minLength !== undefined && value.length < s.minLength)
    return `Use at least ${s.minLength} character${s.minLength === 1 ? '' : 's'}.`;
  if (s.maxLength !== undefined && value.length > s.maxLength)
    return `Use at most ${s.maxLength} characters.`;
  if (s.format === 'email' && !EMAIL.test(value)) return 'Enter an email address, like name@example.com.';
  if (s.pattern && !matches(s.pattern, value))
    return s.description ? `Not in the expected form: ${s.description}` : 'Not in the expected form.';
  return undefined;
}

const isBlank = (raw: string | boolean | undefined) => raw === undefined || raw === '';

function problemOf(field: FieldSpec, raw: string | boolean | undefined): string | undefined {
  const s = field.schema;
  if (field.kind === 'checkbox' || field.kind === 'object') return undefined;
  if (isBlank(raw)) return field.required ? 'Required.' : undefined;
  const text = String(raw);
  switch (field.kind) {
    case 'integer':
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n)) return 'Enter a number.';
      if (field.kind === 'integer' && !Number.isInteger(n)) return 'Enter a whole number.';
      if (s.minimum !== undefined && n < s.minimum) return `Use ${s.minimum} or more.`;
      if (s.maximum !== undefined && n > s.maximum) return `Use ${s.maximum} or less.`;
      return undefined;
    }
    case 'json':
      try {
        JSON.parse(text);
        return undefined;
      } catch {
        return 'Enter valid JSON.';
      }
    case 'list': {
      const items = text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const allowed = s.items?.enum?.map(String);
      const wrong = allowed ? items.find((i) => !allowed.includes(i)) : undefined;
      if (wrong) return `"${wrong}" is not one of: ${allowed?.join(', ')}.`;
      if (s.minItems !== undefined && items.length < s.minItems) return `Give at least ${s.minItems}.`;
      if (s.maxItems !== undefined && items.length > s.maxItems) return `Give at most ${s.maxItems}.`;
      return undefined;
    }
    case 'text':
      if (field.options) {
        const ok = field.options.some((o) => !stringProblem(o, text));
        return ok ? undefined : `Not in the expected form${s.description ? `: ${s.description}` : '.'}`;
      }
      return stringProblem(s, text);
    case 'email':
    case 'date':
    case 'textarea':
      return stringProblem(s, text);
    default:
      return undefined;
  }
}

/** Every field's problem, by path; empty when the form may be sent. */
export function validate(fields: FieldSpec[], raw: RawValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of fields) {
    if (field.children) {
      if (field.required || hasAny(field.children, raw)) Object.assign(errors, validate(field.children, raw));
      continue;
    }
    const problem = problemOf(field, raw[field.path]);
    if (problem) errors[field.path] = problem;
  }
  return errors;
}

function hasAny(fields: FieldSpec[], raw: RawValues): boolean {
  return fields.some((f) =>
    f.children ? hasAny(f.children, raw) : !isBlank(raw[f.path]) && f.kind !== 'checkbox',
  );
}

function convert(field: FieldSpec, raw: string | boolean | undefined): unknown {
  switch (field.kind) {
    case 'checkbox':
      return raw === true;
    case 'tristate':
      return raw === 'true';
    case 'integer':
    case 'number':
      return Number(raw);
    case 'select':
      return field.schema.enum?.find((option) => String(option) === raw) ?? raw;
    case 'list':
      return String(raw)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    case 'json':
      return JSON.parse(String(raw));
    default:
      return raw;
  }
}

/** The tool arguments the raw inputs stand for: empty optional fields are left out. */
export function argumentsOf(fields: FieldSpec[], raw: RawValues): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const field of fields) {
    const name = field.path.split('.').pop() as string;
    if (field.children) {
      if (field.required || hasAny(field.children, raw)) args[name] = argumentsOf(field.children, raw);
      continue;
    }
    const value = raw[field.path];
    if (field.kind !== 'checkbox' && isBlank(value)) continue;
    if (field.kind === 'checkbox' && value === undefined && !field.required) continue;
    args[name] = convert(field, value);
  }
  return args;
}
