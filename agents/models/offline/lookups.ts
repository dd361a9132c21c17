import type { ToolProfile } from './catalog.ts';
import type { Lookup } from './draft.ts';
import { LOOKUP_ID_PREFIX, type TurnCall } from './prompt.ts';
import type { PlannedCall } from './turn.ts';
import { stem } from './words.ts';

/** The stems under which a tool is a lookup for a kind of thing (`user` for people and tenants). */
function lookupStem(kind: string): string {
  return stem(kind === 'person' || kind === 'tenant' ? 'user' : kind);
}

/** The lookup calls for names still unknown: a search by name, or the directory for businesses. */
export function lookupCalls(
  lookups: readonly Lookup[],
  tools: readonly ToolProfile[],
  promptLength: number,
): PlannedCall[] {
  const calls: PlannedCall[] = [];
  const seen = new Set<string>();
  lookups.forEach((lookup, i) => {
    const found = lookupFor(lookup, tools);
    if (!found) return;
    const key = `${found.tool.name}:${JSON.stringify(found.input)}`;
    if (seen.has(key)) return;
    seen.add(key);
    calls.push({
      toolCallId: `${LOOKUP_ID_PREFIX}${lookup.kind}-${promptLength}-${i}`,
      toolName: found.tool.name,
      input: found.input,
    });
  });
  return calls;
}

/** Whether some tool can look this name up. */
export function canLookUp(lookup: Lookup, tools: readonly ToolProfile[]): boolean {
  return lookupFor(lookup, tools) !== undefined;
}

function lookupFor(
  lookup: Lookup,
  tools: readonly ToolProfile[],
): { tool: ToolProfile; input: Record<string, unknown> } | undefined {
  // Search tools that list things of a kind by text, the plain listing first (`crm_list_leads`
  // before `crm_export_leads`).
  const searchable = (s: string) =>
    tools
      .filter(
        (t) =>
          t.readOnly &&
          (t.terms.includes(s) || t.server === s) &&
          t.params.some((p) => p.name === 'query') &&
          !t.params.some((p) => p.required),
      )
      .sort((a, b) => Number(isListing(b)) - Number(isListing(a)));
  if (lookup.kind === 'tenant') {
    const own = searchable(stem('tenant'))[0];
    if (own) return { tool: own, input: { query: lookup.mention } };
    const people = searchable(lookupStem('person'))[0];
    if (!people) return undefined;
    const size = people.params.find((p) => p.name === 'pageSize')?.schema.maximum;
    return { tool: people, input: size ? { pageSize: size } : {} };
  }
  const tool = searchable(lookupStem(lookup.kind))[0];
  return tool ? { tool, input: { query: lookup.mention } } : undefined;
}

function isListing(tool: ToolProfile): boolean {
  return tool.terms.includes('list') || tool.terms.includes('search');
}

/** What this turn already looked up: `person:carol`, `tenant:*`. */
export function lookedUpOf(calls: readonly TurnCall[]): Set<string> {
  const out = new Set<string>();
  for (const c of calls) {
    const kind = c.id.slice(LOOKUP_ID_PREFIX.length).match(/^([a-zA-Z]+)-/)?.[1];
    if (!c.id.startsWith(LOOKUP_ID_PREFIX) || !kind) continue;
    out.add(kind === 'tenant' ? 'tenant:*' : `${kind}:${String(c.input.query ?? '*').toLowerCase()}`);
  }
  return out;
}
