import type { ParamProfile } from './catalog.ts';
import type { Span } from './command.ts';
import type { Draft, Lookup } from './draft.ts';
import type { Mention } from './mentions.ts';
import { describePerson, type Entity, entityRef, matchEntities, matchPeople, personRef } from './people.ts';
import { fits } from './values.ts';
import { escapeRe, stem } from './words.ts';

/** Words before a name that make it a business ("at Acme"), and looser ones ("to Acme", "of Acme"). */
const TENANT_PREPS = new Set([
  'at',
  'in',
  'within',
  'inside',
  'joining',
  'join',
  'joins',
  'joined',
  'tenant',
  'company',
  'business',
  'organisation',
  'organization',
]);
/** What follows a business that takes people on ("Acme Plumbing just hired Eve"). */
const TAKES_ON =
  /^\s+(?:just |recently |has |have |had )*(?:hired|employs|employed|welcomes|welcomed|onboarded|took on|is taking on|signed)\b/i;
const LOOSE_TENANT_PREPS = new Set(['of', 'for', 'to', 'on', 'from', 'into']);
/** Words after a name that make it a business ("the Acme team", "Acme users"). */
const GROUP_NOUNS = new Set([
  'user',
  'member',
  'employee',
  'directory',
  'roster',
  'team',
  'staff',
  'employees',
  'users',
  'people',
  'members',
  'accounts',
  'tenant',
  'company',
  'business',
  'org',
  'office',
  'crew',
]);
const PREPOSITIONS = new Set([
  'at',
  'in',
  'from',
  'to',
  'for',
  'of',
  'with',
  'by',
  'on',
  'about',
  'into',
  'within',
]);
const ORGANISATION_PREPS = ['from', 'at', 'of', 'with'];
const CONTENT = /\b(fact|note|notes|text|message|instruction|summary|body|content|comment|reply|reason)\b/i;

/**
 * The names of a command put where they belong: tenants, people (several people → one call each),
 * other things (a lead, a service), a company; then what is left becomes a new person's name, a
 * search text, or a note. Returns the people the call is for.
 */
export function fillReferences(draft: Draft, mentions: Mention[], emails: Span[]): string[] {
  const used = new Set<Mention>();
  fillTenant(draft, mentions, used);
  const people = fillPeople(draft, mentions, used, emails);
  fillThings(draft, mentions, used);
  fillOrganisation(draft, mentions, used);
  fillLeftovers(draft, mentions, used);
  fillContent(draft);
  // A capitalised name the call has no place for suggests another tool was meant.
  draft.out.unplaced = mentions.filter((m) => !used.has(m) && m.capitalized).length;
  return people;
}

const hasPerson = (draft: Draft) => draft.tool.params.some((p) => p.kind === 'person');

function isTenantHinted(m: Mention, draft: Draft): boolean {
  if (TENANT_PREPS.has(m.before) || GROUP_NOUNS.has(m.after)) return true;
  // "Acme Plumbing — who are its users?": the business the people belong to.
  if (
    m.capitalized &&
    /\b(its|their) (users|staff|people|team|employees|members|accounts)\b/i.test(draft.command.text)
  )
    return true;
  if (TAKES_ON.test(draft.command.text.slice(m.end))) return true;
  return !hasPerson(draft) && LOOSE_TENANT_PREPS.has(m.before);
}

function isExactTenant(text: string, e: Entity | undefined): boolean {
  const t = text.toLowerCase();
  return !!e && (t === e.name.toLowerCase() || t === e.slug?.toLowerCase());
}

/** A known tenant named outright, a name in a tenant's place ("at Acme"), or "our team". */
function fillTenant(draft: Draft, mentions: Mention[], used: Set<Mention>) {
  const { out, tool, command, caller, known, set } = draft;
  const p = tool.params.find((q) => q.kind === 'tenant');
  if (!p) return;
  const id = command.ids.find((i) => i.value.startsWith('ten_'));
  if (id) return set(p, id.value);
  let hinted = mentions.filter((m) => isTenantHinted(m, draft));
  // "invite: Eve Adams, eve@acme.test, client, Acme Plumbing": of several names beside a new
  // person's, the business is the one the directory knows; look them up to tell.
  const newPersonName = tool.params.some((q) => q.name === 'name' && q.kind === 'text');
  const capitalised = mentions.filter((m) => m.capitalized);
  if (!hinted.length && newPersonName && capitalised.length >= 2) hinted = capitalised;
  // "which users does Acme Plumbing have?": a title-case name where no person goes may be a business.
  if (!hinted.length && !hasPerson(draft) && !newPersonName)
    hinted = capitalised.filter((m) => m.text.includes(' '));
  for (const m of mentions) {
    const found = matchEntities(m.text, known.directory.entities, (e) => e.kind === 'tenant');
    const isHinted = hinted.includes(m);
    if (!isHinted && !(found.length === 1 && isExactTenant(m.text, found[0]))) continue;
    if (found.length === 1 && found[0]) {
      used.add(m);
      return set(p, entityRef(found[0]));
    }
    if (found.length > 1 && isHinted) {
      used.add(m);
      out.ambiguous = { mention: m.text, options: found.map((e) => `${e.name} (${e.slug ?? e.id})`) };
      return;
    }
  }
  const first = hinted[0];
  if (first && !known.lookedUp.has('tenant:*')) {
    for (const m of hinted) {
      used.add(m);
      out.lookups.push({ kind: 'tenant', mention: m.text });
    }
    return;
  }
  // Looked up and still unknown: the name is something else (a new person's name, a search text),
  // unless the tool has nowhere else to put it.
  const elsewhere = tool.params.some((q) => (q.name === 'query' || q.name === 'name') && q.kind === 'text');
  if (first && !elsewhere) {
    used.add(first);
    out.notFound.push(first.text);
    return;
  }
  if (command.ownTenant && caller.tenantSlug) set(p, caller.tenantSlug);
}

/**
 * The people the command is about: emails and user ids, "me"/"my", or names found in the
 * directory (one lookup per name not found yet). A name that fits several people is a question.
 */
function fillPeople(draft: Draft, mentions: Mention[], used: Set<Mention>, emails: Span[]): string[] {
  const { out, tool, command, caller, set } = draft;
  const p = tool.params.find((q) => q.kind === 'person');
  if (!p) return [];
  const chosen = [
    ...emails.map((e) => e.value),
    ...command.ids.filter((i) => i.value.startsWith('usr_')).map((i) => i.value),
  ];
  // "my …", "promote me": the caller; other names in such a command are not people to find.
  if (!chosen.length && !command.self) chosen.push(...peopleByName(draft, mentions, used));
  const self = command.self || (command.selfUnlessOther && !chosen.length && !out.lookups.length);
  if (!chosen.length && self && caller.email) {
    if (p.required || !p.selfWhenOmitted) set(p, caller.email);
    else out.fit += 1.5;
    return [];
  }
  const unique = [...new Set(chosen)];
  if (unique[0] === undefined) return [];
  set(p, unique[0]);
  out.fit += 1;
  return unique;
}

function peopleByName(draft: Draft, mentions: Mention[], used: Set<Mention>): string[] {
  const { out, known } = draft;
  const chosen: string[] = [];
  const pending: Lookup[] = [];
  const notFound: string[] = [];
  for (const m of mentions) {
    // "at Acme", "the Acme team": a business, not a person.
    if (used.has(m) || TENANT_PREPS.has(m.before) || GROUP_NOUNS.has(m.after)) continue;
    const found = matchPeople(m.text, known.directory.people);
    const exact = found.filter((f) => f.name?.toLowerCase() === m.text.toLowerCase());
    const one = found.length === 1 ? found[0] : exact.length === 1 ? exact[0] : undefined;
    if (one) {
      used.add(m);
      chosen.push(personRef(one));
    } else if (found.length > 1) {
      used.add(m);
      out.ambiguous ??= { mention: m.text, options: found.map(describePerson) };
    } else if (!known.lookedUp.has(`person:${m.text.toLowerCase()}`))
      pending.push({ kind: 'person', mention: m.text });
    else if (m.capitalized || mentions.length === 1) notFound.push(m.text);
  }
  if (!chosen.length) {
    out.lookups.push(...pending);
    for (const m of mentions) if (pending.some((l) => l.mention === m.text)) used.add(m);
    if (!pending.length) out.notFound.push(...notFound);
  }
  return chosen;
}

/**
 * Other things by name (a lead, a service, a task): a name counts as one when the command names
 * the kind of thing ("Dana Lee's lead"), when it is the direct object of a command that sets
 * values on a tool without a person parameter ("deprecate Cloudways"), or when it is the only name
 * left for a required one ("set the status of Cloudways to …"). An id parameter (`lead_…`) takes
 * the id of the thing found; a lookup confirms the rest.
 */
function fillThings(draft: Draft, mentions: Mention[], used: Set<Mention>) {
  const { out, tool, command, known } = draft;
  const things = tool.params.filter(
    (q) => q.kind === 'ref' || (q.kind === 'id' && out.args[q.name] === undefined),
  );
  for (const p of things) {
    const named = p.stems.some((s) => command.stems.has(s) || command.concepts.has(s));
    const accepts = (e: Entity) =>
      p.idPrefix ? !!e.id?.startsWith(p.idPrefix) : stem(e.kind) === stem(p.name) || e.kind === 'item';
    const free = mentions.filter((m) => !used.has(m));
    const onlyName = p.required && !hasPerson(draft) && free.length === 1;
    for (const m of free) {
      const found = matchEntities(m.text, known.directory.entities, accepts);
      const direct = !hasPerson(draft) && !PREPOSITIONS.has(m.before) && out.stated > 0;
      if (!found.length && !named && !direct && !onlyName) continue;
      used.add(m);
      resolveThing(draft, p, m, found);
      break;
    }
  }
}

function resolveThing({ out, known, command, set }: Draft, p: ParamProfile, m: Mention, found: Entity[]) {
  // "Zoho CRM" when the mention stopped at "Zoho" (CRM is a word the tools use): the name in full.
  const spelled = found.length > 1 ? spelledOut(command.lower, found) : undefined;
  if (spelled) found = [spelled];
  const [one] = found;
  if (found.length === 1 && one) set(p, p.kind === 'id' ? (one.id ?? entityRef(one)) : entityRef(one));
  else if (found.length > 1) out.ambiguous ??= { mention: m.text, options: found.map((e) => e.name) };
  else if (!known.lookedUp.has(`${p.name}:${m.text.toLowerCase()}`))
    out.lookups.push({ kind: p.name, mention: m.text });
  else if (p.kind === 'ref') {
    set(p, m.text.toLowerCase().replace(/\s+/g, '-'));
    out.guessed += 1;
  } else out.notFound.push(m.text);
}

/** The longest of several names the command spells out in full, if any. */
function spelledOut(lower: string, entities: readonly Entity[]): Entity | undefined {
  const inText = entities.filter((e) => new RegExp(`\\b${escapeRe(e.name.toLowerCase())}\\b`).test(lower));
  return inText.sort((a, b) => b.name.length - a.name.length)[0];
}

/** Words that name the company field ("company Acme Corp", "employer: Acme Corp"). */
const ORGANISATION_FIELDS = new Set([
  'company',
  'employer',
  'organisation',
  'organization',
  'business',
  'firm',
]);
/** Last words that make a name a company's ("Acme Corp", "Lakeside Bakery Ltd"). */
const COMPANY_SUFFIX =
  /^(inc|ltd|llc|corp|corporation|gmbh|co|company|group|plc|ag|bv|pty|limited|holdings|industries|labs?|studios?|agency)$/i;

/**
 * A company named beside a person: after its field's name ("company Acme Corp"), after a
 * preposition ("Dana Lee from Acme Corp", "at Acme Corp": the last such name), in brackets
 * ("Dana Lee (Acme Corp)"), or a name with a company's last word ("Dana Lee, Acme Corp").
 */
function fillOrganisation({ out, tool, command, set }: Draft, mentions: Mention[], used: Set<Mention>) {
  const p = tool.params.find((q) => q.kind === 'org');
  if (!p || out.args[p.name] !== undefined) return;
  const free = mentions.filter((m) => !used.has(m) && m.capitalized);
  const lastWord = (m: Mention) => m.text.split(' ').at(-1) ?? '';
  const m =
    free.find((f) => ORGANISATION_FIELDS.has(f.before)) ??
    free.filter((f) => ORGANISATION_PREPS.includes(f.before)).at(-1) ??
    free.find((f) => command.text[f.start - 1] === '(') ??
    free.find((f, i) => f.possessive && free[i + 1]?.capitalized) ??
    free.find(
      (f) => COMPANY_SUFFIX.test(f.after) || (f.text.includes(' ') && COMPANY_SUFFIX.test(lastWord(f))),
    );
  if (!m) return;
  used.add(m);
  set(p, COMPANY_SUFFIX.test(m.after) ? command.text.slice(m.start, m.end + 1 + m.after.length) : m.text);
}

/** Names nobody was looked up for: the new person's name of an invitation, or a search text. */
function fillLeftovers(draft: Draft, mentions: Mention[], used: Set<Mention>) {
  const { out, tool, command, set } = draft;
  const free = mentions.filter((m) => !used.has(m));
  const name = tool.params.find((p) => p.name === 'name' && p.kind === 'text');
  if (name && out.args.name === undefined && !hasPerson(draft)) {
    const m = free.find((f) => f.capitalized && f.text.includes(' ')) ?? free.find((f) => f.capitalized);
    if (m) {
      used.add(m);
      set(name, m.text);
    }
  }
  const query = tool.params.find((p) => p.name === 'query' && p.kind === 'text');
  if (!query || out.args.query !== undefined || hasPerson(draft)) return;
  const m = free.find((f) => !used.has(f));
  if (command.quoted[0]) set(query, command.quoted[0].value);
  else if (m && !out.lookups.length) {
    used.add(m);
    set(query, m.text);
  }
}

/** A required text the command spells out after "that" or a colon ("remember that I prefer short answers"). */
function fillContent({ out, tool, command, set }: Draft) {
  const p = tool.params.find(
    (q) =>
      q.required &&
      q.kind === 'text' &&
      out.args[q.name] === undefined &&
      (CONTENT.test(q.name) || CONTENT.test(q.schema.description ?? '')),
  );
  const clause =
    command.text.match(/\b(?:that|saying|to say)\s+(.+?)[.!]*$/i) ?? command.text.match(/:\s*(.+?)[.!]*$/);
  if (p && clause?.[1] && fits(p.schema, clause[1])) set(p, clause[1]);
}
