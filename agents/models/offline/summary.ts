import type { JSONValue } from '@ai-sdk/provider';
import { profileTool, type ToolProfile } from './catalog.ts';
import { isVerb } from './lexicon.ts';
import { type Directory, describePerson } from './people.ts';
import type { Caller, TurnCall } from './prompt.ts';
import { splitIdentifier, stem } from './words.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const SHOWN = 10;
const SECRET = /^(token|secret|key|password|recoveryCodes|qrDataUrl|otpauthUri|apiKey)$/i;
const ACRONYMS: Record<string, string> = {
  ai: 'AI access',
  crm: 'CRM',
  ip: 'IP',
  mfa: 'two-factor authentication',
  api: 'API',
};

/** "jobTitle" → "job title", "ai" → "AI access". */
export function label(key: string): string {
  return ACRONYMS[key.toLowerCase()] ?? splitIdentifier(key).join(' ');
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);
const roleLabel = (role: string) => role.replace(/_/g, '-');

/** What the tool does, in a few words, from its name: `users_force_password_reset` → "force password reset". */
export function toolPhrase(tool: Pick<ToolProfile, 'name'>): string {
  return splitIdentifier(tool.name.split('_').slice(1).join('_')).join(' ');
}

/** "invite" → "invited", "set" → "set", "revoke" → "revoked". */
function past(verb: string): string {
  const irregular: Record<string, string> = {
    set: 'set',
    send: 'sent',
    run: 'ran',
    get: 'got',
    make: 'made',
    sign: 'signed',
  };
  if (irregular[verb]) return irregular[verb];
  if (verb.endsWith('e')) return `${verb}d`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  return `${verb}ed`;
}

/** The person an argument or a result is about, by name when the directory knows them; "you" for the caller. */
function whoOf(ref: unknown, directory: Directory, caller: Caller, record?: Obj): string | undefined {
  const email = typeof record?.email === 'string' ? record.email : typeof ref === 'string' ? ref : undefined;
  if (email && caller.email && email.toLowerCase() === caller.email.toLowerCase()) return 'you';
  // The name they had before this call (a rename changes the record's).
  const key = typeof ref === 'string' ? ref.toLowerCase() : email?.toLowerCase();
  const known = key ? directory.people.find((p) => p.email.toLowerCase() === key || p.id === ref) : undefined;
  if (known?.name) return known.name;
  if (record && typeof record.name === 'string') return record.name;
  return email ?? (typeof ref === 'string' ? ref : undefined);
}

/** The answer after the turn's real calls came back: each result or refusal in plain words. */
export function summariseCalls(
  calls: readonly TurnCall[],
  tools: readonly ToolProfile[],
  directory: Directory,
  caller: Caller,
): string {
  return calls
    .map((call) => {
      const tool = tools.find((t) => t.name === call.toolName) ?? profileTool(call.toolName, '', {});
      if (call.denied)
        return `Okay, I did not run ${call.toolName}: it was not approved, so nothing changed.`;
      if (call.error)
        return `I couldn't do that: the platform refused ${call.toolName} — "${call.error.trim()}"`;
      return tool.readOnly
        ? describeRead(tool, call.input, call.output, directory, caller)
        : describeWrite(tool, call.input, call.output, directory, caller);
    })
    .join('\n\n');
}

function describeWrite(
  tool: ToolProfile,
  input: Obj,
  output: JSONValue | undefined,
  directory: Directory,
  caller: Caller,
): string {
  const result: Obj = isObj(output) ? output : {};
  const record = [result.user, result.item, result.subject, ...Object.values(result), result as unknown].find(
    (v): v is Obj => isObj(v) && (typeof v.email === 'string' || typeof v.name === 'string'),
  );
  const words = toolPhrase(tool).split(' ');
  const at = Math.max(
    0,
    words.findIndex((w) => isVerb(stem(w))),
  );
  const did = [past(words[at] ?? 'done'), ...words.filter((_, i) => i !== at)].join(' ');
  const facts = outputFacts(result, record);
  const done = (head: string) => [head, ...facts].join('\n');
  // A new record (an invitation, a lead): say what was created rather than each field "is now".
  if (record && !('user' in input) && CREATE_VERBS.has(words[at] ?? '') && isCreation(input, record)) {
    const what =
      typeof record.email === 'string'
        ? describePerson({ email: record.email, name: str(record.name) })
        : String(record.name);
    const role = typeof record.role === 'string' ? ` as ${article(roleLabel(record.role))}` : '';
    const tenant =
      isObj(record.tenant) && typeof record.tenant.name === 'string' ? ` of ${record.tenant.name}` : '';
    return done(`Done: ${did} ${what}${role}${tenant}.`);
  }
  const person =
    'user' in input || typeof record?.email === 'string' || tool.params.some((p) => p.kind === 'person');
  if (!person) {
    // A thing, not a person (a service, a lead, a memory): what it is, and the values given.
    const subject = record && typeof record.name === 'string' ? ` ${record.name}` : '';
    const given = Object.entries(input)
      .filter(
        ([k, v]) =>
          !isObj(v) &&
          !SECRET.test(k) &&
          !tool.params.some(
            (p) => p.name === k && !['text', 'enum', 'boolean', 'url', 'number'].includes(p.kind),
          ),
      )
      .map(([k, v]) => `${label(k)}: ${v === true ? 'yes' : v === false ? 'no' : String(v)}`);
    return done(`Done: ${did}${subject}${given.length ? ` — ${given.join(', ')}` : ''}.`);
  }
  const who = whoOf(input.user, directory, caller, record) ?? 'you';
  const changes: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (key === 'user' || key === 'tenant' || value === undefined) continue;
    if (key === 'role' && typeof value === 'string')
      changes.push(`${who === 'you' ? 'you are' : `${who} is`} now ${article(roleLabel(value))}`);
    else if (isObj(value)) changes.push(...switches(value, who));
    else if (typeof value === 'string' && !SECRET.test(key))
      changes.push(`${who === 'you' ? 'your' : `${who}'s`} ${label(key)} is now ${value}`);
  }
  return done(
    changes.length ? `Done: ${changes.join('; ')}.` : `Done: ${did}${who !== 'you' ? ` — ${who}` : ''}.`,
  );
}

const CREATE_VERBS = new Set(['create', 'invite', 'add', 'save', 'register', 'issue', 'generate']);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Whether the arguments describe a new record (every string argument shows up in it). */
function isCreation(input: Obj, record: Obj): boolean {
  const values = Object.values(record).filter((v): v is string => typeof v === 'string');
  const given = Object.entries(input).filter(
    ([k, v]) => typeof v === 'string' && k !== 'tenant' && k !== 'role',
  );
  return given.length > 0 && given.every(([, v]) => values.includes(v as string));
}

/** "turned on CRM and reviews for Yuki Tanaka" from `{crm: true, reviews: true}`. */
function switches(value: Obj, who: string, scope = ''): string[] {
  const on = Object.entries(value).filter(([, v]) => v === true);
  const off = Object.entries(value).filter(([, v]) => v === false);
  const nested = Object.entries(value).filter(([, v]) => isObj(v));
  const list = (entries: [string, unknown][]) => entries.map(([k]) => label(k)).join(' and ');
  const where = scope ? ` (${label(scope)})` : '';
  const out: string[] = [];
  const forWho = who === 'you' ? 'for you' : `for ${who}`;
  if (on.length) out.push(`turned on ${list(on)}${where} ${forWho}`);
  if (off.length) out.push(`turned off ${list(off)}${where} ${forWho}`);
  for (const [k, v] of nested) out.push(...switches(v as Obj, who, k));
  return out;
}

/** Notable values of a write's result: counts, flags, links, expiry; secrets only pointed at. */
function outputFacts(result: Obj, record: Obj | undefined): string[] {
  const facts: string[] = [];
  const visit = (obj: Obj, prefix: string) => {
    for (const [key, value] of Object.entries(obj)) {
      if (value === record || /^(user|item|subject|id|createdAt|updatedAt)$/.test(key)) continue;
      if (SECRET.test(key)) facts.push(`The ${label(key)} is in the tool result; it is shown only once.`);
      else if (typeof value === 'number' || typeof value === 'boolean')
        facts.push(`${label(prefix + key)}: ${value === true ? 'yes' : value === false ? 'no' : value}`);
      else if (typeof value === 'string' && /^https?:\/\//.test(value))
        facts.push(`${label(prefix || key)} link: ${value}`);
      else if (typeof value === 'string' && /At$/.test(key)) facts.push(`${label(prefix + key)}: ${value}`);
      else if (isObj(value) && !prefix) visit(value, `${key} `);
    }
  };
  visit(result, '');
  return facts;
}

function describeRead(
  tool: Pick<ToolProfile, 'name'>,
  input: Obj,
  output: JSONValue | undefined,
  directory: Directory,
  caller: Caller,
): string {
  if (!isObj(output)) return output === undefined || output === null ? 'Done.' : `Result: ${String(output)}`;
  const who = typeof input.user === 'string' ? whoOf(input.user, directory, caller) : undefined;
  // One record (`{item}`, or a record with its own id or name) may hold arrays; it is not a list.
  const oneRecord = isObj(output.item) || typeof output.id === 'string' || typeof output.name === 'string';
  const list = oneRecord ? undefined : Object.entries(output).find(([, v]) => Array.isArray(v));
  if (list) {
    const [key, items] = list as [string, unknown[]];
    const total = typeof output.total === 'number' ? output.total : items.length;
    const noun = nounOf(tool, key);
    const owner = who ?? (isObj(output.user) ? whoOf(undefined, directory, caller, output.user) : undefined);
    const filters = describeFilters(input);
    if (!items.length)
      return owner
        ? `${owner === 'you' ? 'You have' : `${owner} has`} no ${noun}${filters ? ` ${filters}` : ''}.`
        : `No ${noun} found${filters ? ` ${filters}` : ''}.`;
    const lines = items.slice(0, SHOWN).map((item) => `- ${describeItem(item)}`);
    if (total > SHOWN) lines.push(`…and ${total - Math.min(items.length, SHOWN)} more.`);
    const count = `${total} ${total === 1 ? singular(noun) : noun}`;
    const head = owner
      ? `Here is ${owner === 'you' ? 'your' : `${owner}'s`} ${noun}${filters ? ` ${filters}` : ''}: ${count}.`
      : `Found ${count}${filters ? ` ${filters}` : ''}:`;
    return [head, ...lines].join('\n');
  }
  const record = [output.user, output.item, output as unknown].find(
    (v): v is Obj => isObj(v) && Object.keys(v).length > 0,
  );
  if (record && typeof record.email === 'string') return describeProfile(record);
  const title = record && typeof record.name === 'string' ? record.name : undefined;
  return [title ? `Here is ${title}:` : 'Here is what I found:', ...scalarLines(record ?? output)].join('\n');
}

function nounOf(tool: Pick<ToolProfile, 'name'>, key: string): string {
  const words = splitIdentifier(tool.name);
  if (words.includes('timeline') || words.includes('history')) return 'activity records';
  if (key !== 'items') return label(key);
  const server = words[0] ?? 'item';
  const object = words.slice(1).filter((w) => !['list', 'get', 'search', 'find', 'show'].includes(w));
  return object.length ? object.join(' ') : server;
}

const singular = (noun: string) => noun.replace(/ies$/, 'y').replace(/(?<!s)s$/, '');

function describeFilters(input: Obj): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (key === 'user' || key === 'page' || key === 'pageSize' || value === undefined || isObj(value))
      continue;
    if (key === 'from') parts.push(`since ${value}`);
    else if (key === 'to') parts.push(`until ${value}`);
    else if (key === 'query') parts.push(`matching "${value}"`);
    else if (key === 'tenant') parts.push(`in ${value}`);
    else if (value === true) parts.push(label(key));
    else if (value === false) parts.push(`not ${label(key)}`);
    else parts.push(`${label(key)}: ${typeof value === 'string' ? roleLabel(value) : String(value)}`);
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}

function describeItem(item: unknown): string {
  if (!isObj(item)) return String(item);
  if (typeof item.email === 'string') {
    const tenant = isObj(item.tenant) && typeof item.tenant.name === 'string' ? `, ${item.tenant.name}` : '';
    const role = typeof item.role === 'string' ? ` — ${roleLabel(item.role)}` : '';
    const status = typeof item.status === 'string' && item.status !== 'active' ? ` (${item.status})` : '';
    return `${describePerson({ email: item.email, name: typeof item.name === 'string' ? item.name : undefined })}${role}${tenant}${status}`;
  }
  if (typeof item.tool === 'string') {
    const at = String(item.atLocal ?? item.at ?? '')
      .replace('T', ' ')
      .slice(0, 16);
    const target = typeof item.target === 'string' ? ` on ${item.target}` : '';
    const outcome = typeof item.outcome === 'string' ? ` (${item.outcome})` : '';
    const by = typeof item.userEmail === 'string' ? ` by ${item.userEmail}` : '';
    return `${at} — ${item.tool}${target}${by}${outcome}`;
  }
  const title = item.name ?? item.title ?? item.label ?? item.id;
  const extras = Object.entries(item)
    .filter(
      ([k, v]) =>
        k !== 'name' &&
        k !== 'title' &&
        k !== 'id' &&
        (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'),
    )
    .slice(0, 4)
    .map(([k, v]) => `${label(k)}: ${String(v)}`);
  return [String(title ?? ''), ...extras].filter(Boolean).join(' — ');
}

function describeProfile(user: Obj): string {
  const name = typeof user.name === 'string' ? user.name : String(user.email);
  const lines = [`${describePerson({ email: String(user.email), name })}`];
  const role = typeof user.role === 'string' ? roleLabel(user.role) : undefined;
  const tenant = isObj(user.tenant) && typeof user.tenant.name === 'string' ? user.tenant.name : undefined;
  if (role || tenant)
    lines.push(`${role ? `Role: ${role}` : ''}${role && tenant ? ' at ' : ''}${tenant ?? ''}.`);
  if (typeof user.jobTitle === 'string' && user.jobTitle) lines.push(`Job title: ${user.jobTitle}.`);
  if (typeof user.phone === 'string' && user.phone) lines.push(`Phone: ${user.phone}.`);
  if (typeof user.status === 'string') lines.push(`Status: ${user.status}.`);
  if (isObj(user.features)) {
    const on = Object.entries(user.features)
      .filter(([, v]) => v === true)
      .map(([k]) => label(k));
    const off = Object.entries(user.features)
      .filter(([, v]) => v === false)
      .map(([k]) => label(k));
    lines.push(`Features on: ${on.join(', ') || 'none'}; off: ${off.join(', ') || 'none'}.`);
  }
  return lines.join('\n');
}

function scalarLines(obj: Obj): string[] {
  return Object.entries(obj)
    .filter(([k]) => !SECRET.test(k))
    .slice(0, 12)
    .map(([k, v]) =>
      isObj(v)
        ? `- ${label(k)}: ${scalarLines(v)
            .map((l) => l.slice(2))
            .join(', ')}`
        : `- ${label(k)}: ${Array.isArray(v) ? `${v.length} item(s)` : String(v)}`,
    );
}
