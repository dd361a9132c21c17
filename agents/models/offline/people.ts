import { isVerb } from './lexicon.ts';
import type { Caller, ToolResult } from './prompt.ts';
import { stem } from './words.ts';

export interface Person {
  id?: string | undefined;
  email: string;
  name?: string | undefined;
  tenant?: { id?: string | undefined; slug?: string | undefined; name?: string | undefined } | undefined;
}

/** A named thing other than a person that a tool result showed: a tenant, a lead, a service… */
export interface Entity {
  /** What it is, from its id prefix (`ten_` → tenant) or the key it was found under. */
  kind: string;
  id?: string | undefined;
  slug?: string | undefined;
  name: string;
}

/** Everyone and everything the conversation's tool results (and the system prompt) have shown. */
export interface Directory {
  people: Person[];
  entities: Entity[];
}

const ID_KINDS: Record<string, string> = { ten: 'tenant', usr: 'user' };

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** Collects people and named entities from tool results, newest last. */
export function directoryOf(results: readonly ToolResult[], caller: Caller): Directory {
  const people = new Map<string, Person>();
  const entities = new Map<string, Entity>();
  if (caller.email) people.set(caller.email.toLowerCase(), { email: caller.email, name: caller.name });
  if (caller.tenantSlug && caller.tenantName)
    entities.set(`tenant:${caller.tenantSlug}`, {
      kind: 'tenant',
      slug: caller.tenantSlug,
      name: caller.tenantName,
    });
  const visit = (value: unknown, key: string) => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, key);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const email = str(record.email);
    const id = str(record.id);
    const name = str(record.name);
    // Platform users have `usr_` ids (or none shown); a lead or a customer with an email is not one.
    const isUser = !id || id.startsWith('usr_');
    if (email?.includes('@') && isUser) {
      const tenant =
        record.tenant && typeof record.tenant === 'object'
          ? (record.tenant as Record<string, unknown>)
          : undefined;
      const known = people.get(email.toLowerCase());
      people.set(email.toLowerCase(), {
        id: id ?? known?.id,
        email,
        name: name ?? known?.name,
        tenant: tenant
          ? { id: str(tenant.id), slug: str(tenant.slug), name: str(tenant.name) }
          : known?.tenant,
      });
    } else if (name && (id || str(record.slug))) {
      const prefix = id?.match(/^([a-z]+)_/)?.[1];
      const kind = (prefix && ID_KINDS[prefix]) ?? singular(key);
      entities.set(`${kind}:${id ?? record.slug}`, { kind, id, slug: str(record.slug), name });
    }
    for (const [k, v] of Object.entries(record)) visit(v, k === 'items' ? key : k);
  };
  for (const r of results) visit(r.value, thingOf(r.toolName));
  return { people: [...people.values()], entities: [...entities.values()] };
}

/** What a tool lists, from its name: `crm_list_leads` → `leads`, `users_list` → `users`. */
function thingOf(toolName: string): string {
  const [server = 'item', ...rest] = toolName.split('_');
  const nouns = rest.filter((w) => !isVerb(stem(w)));
  return nouns.at(-1) ?? server;
}

function singular(key: string): string {
  return key.replace(/ies$/, 'y').replace(/s$/, '');
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/'s\b/g, '')
    .replace(/[^a-z0-9@.\s-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The people a mention may mean, best matches only (several when it is ambiguous). */
export function matchPeople(mention: string, people: readonly Person[]): Person[] {
  const m = norm(mention);
  if (!m) return [];
  const tokens = m.split(' ');
  let best = 0;
  let found: Person[] = [];
  for (const p of people) {
    const email = p.email.toLowerCase();
    const local = email.split('@')[0] ?? '';
    const name = norm(p.name ?? '');
    const parts = name.split(' ').filter(Boolean);
    let score = 0;
    if (m === email) score = 100;
    else if (name && m === name) score = 90;
    else if (m === local || parts[0] === m) score = 70;
    else if (parts.length > 1 && parts.at(-1) === m) score = 65;
    else if (name && tokens.length > 1 && tokens.every((t) => parts.includes(t))) score = 60;
    else if (name && m.length >= 3 && name.startsWith(m)) score = 40;
    else if (m.length >= 3 && local.startsWith(m)) score = 35;
    if (score > best) {
      best = score;
      found = [p];
    } else if (score === best && score > 0 && !found.some((f) => f.email === p.email)) found.push(p);
  }
  return found;
}

/** The entities a mention may mean, of those `accepts` takes (tenants by slug or name, first word included). */
export function matchEntities(
  mention: string,
  entities: readonly Entity[],
  accepts: (e: Entity) => boolean,
): Entity[] {
  const m = norm(mention);
  if (!m) return [];
  let best = 0;
  let found: Entity[] = [];
  for (const e of entities) {
    if (!accepts(e)) continue;
    const name = norm(e.name);
    const slug = (e.slug ?? '').toLowerCase();
    const parts = name.split(' ');
    let score = 0;
    if (m === slug || m === name || m === e.id?.toLowerCase()) score = 100;
    else if (m === slug.replace(/-/g, ' ')) score = 95;
    else if (parts[0] === m) score = 70;
    else if (m.split(' ').every((t) => parts.includes(t))) score = 60;
    else if (name.includes(m) && m.length >= 3) score = 45;
    else if (m.includes(name) && name.length >= 3) score = 40;
    if (score > best) {
      best = score;
      found = [e];
    } else if (score === best && score > 0 && !found.some((f) => f.name === e.name)) found.push(e);
  }
  return found;
}

/** How to put a person into a tool argument: the email, which every user parameter accepts. */
export function personRef(p: Person): string {
  return p.email;
}

/** How to put an entity into a tool argument: its slug when it has one, else its id. */
export function entityRef(e: Entity): string {
  return e.slug ?? e.id ?? e.name;
}

/** "Carol Diaz <carol@acme.test>" */
export function describePerson(p: Person): string {
  return p.name ? `${p.name} <${p.email}>` : p.email;
}
