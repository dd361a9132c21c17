import fs from 'node:fs';
import { generateText, type ModelMessage, stepCountIs } from 'ai';
import { and, eq, inArray } from 'drizzle-orm';
import { principalContext } from '../../agents/context.ts';
import { gatewayToolSet } from '../../agents/gateway-tools.ts';
import { createOfflineModel } from '../../agents/models/offline/index.ts';
import { auditLog } from '../../core/audit/schema.ts';
import type { Principal } from '../../gateway/principal.ts';
import { startWorld, type World } from './world.ts';

/**
 * Checking the offline command model against lines of a commands file
 * (`../shared/agents/commands.jsonl` format), shared by its tests and by the accuracy bench.
 */

export interface Call {
  name: string;
  args: Record<string, unknown>;
}

/** One line of a commands file. */
export interface Line {
  id: string;
  as: string;
  say: string;
  calls?: Call[];
  refused?: boolean;
  ask?: boolean;
}

export const readLines = (file: URL | string): Line[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Line);

/** The caller's calendar day, as `principalContext` writes it. */
export function todayOf(principal: Principal): string {
  const format = { timeZone: principal.timezone, year: 'numeric', month: '2-digit', day: '2-digit' } as const;
  return new Intl.DateTimeFormat('en-CA', format).format(new Date());
}

export function daysBefore(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** One turn of the offline model in the real agent loop, with the caller's real gateway tools. */
export async function runTurn(world: World, principal: Principal, prompt: string | ModelMessage[]) {
  const tools = gatewayToolSet(world.platform.gateway, principal, { allow: ['*'], approveWrites: false });
  const common = {
    model: createOfflineModel(),
    system: principalContext(principal, new Date(), []),
    tools,
    stopWhen: stepCountIs(6),
  };
  const result =
    typeof prompt === 'string'
      ? await generateText({ ...common, prompt })
      : await generateText({ ...common, messages: prompt });
  // A destructive tool stops the loop with an approval request: asking for the call is the signal.
  const calls: Call[] = result.steps.flatMap((s) =>
    s.toolCalls.map((c) => ({ name: c.toolName, args: (c.input ?? {}) as Record<string, unknown> })),
  );
  return { result, calls };
}

/** Tools that change something, for this caller. */
function writingTools(world: World, principal: Principal): Set<string> {
  return new Set(
    world.platform.gateway
      .listTools(principal)
      .filter((t) => !t.annotations.readOnlyHint)
      .map((t) => t.name),
  );
}

async function okWrites(world: World, email: string, tools: Set<string>): Promise<number> {
  const rows = await world.database.db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(
      and(eq(auditLog.userEmail, email), eq(auditLog.outcome, 'ok'), inArray(auditLog.tool, [...tools])),
    );
  return rows.length;
}

/** Whether an actual argument is the expected one: users by id or email, tenants by id or slug, dates by day. */
async function sameArg(world: World, principal: Principal, key: string, expected: unknown, actual: unknown) {
  if (typeof expected === 'string' && typeof actual === 'string') {
    const date = expected.match(/^\{\{today(?:-(\d+)d)?\}\}$/);
    if (date) return actual.slice(0, 10) === daysBefore(todayOf(principal), Number(date[1] ?? 0));
    if (key === 'user') {
      const id = (v: string) => (v.startsWith('usr_') ? v : world.userId(v).catch(() => v));
      return (await id(expected)) === (await id(actual));
    }
    if (key === 'tenant') {
      const id = (v: string) => (v.startsWith('ten_') ? v : world.tenantId(v).catch(() => v));
      return (await id(expected)) === (await id(actual));
    }
  }
  return deepEqual(expected, actual);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a as object).sort();
  const kb = Object.keys(b as object).sort();
  return (
    ka.length === kb.length &&
    ka.every(
      (k, i) =>
        k === kb[i] && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

async function sameCall(world: World, principal: Principal, expected: Call, actual: Call): Promise<boolean> {
  if (expected.name !== actual.name) return false;
  const keys = Object.keys(expected.args).sort();
  if (JSON.stringify(keys) !== JSON.stringify(Object.keys(actual.args).sort())) return false;
  for (const key of keys)
    if (!(await sameArg(world, principal, key, expected.args[key], actual.args[key]))) return false;
  return true;
}

/** Expected calls appear in order among the actual ones (lookups may sit in between). */
async function callsInOrder(
  world: World,
  principal: Principal,
  expected: Call[],
  actual: Call[],
): Promise<boolean> {
  let at = 0;
  for (const want of expected) {
    while (at < actual.length && !(await sameCall(world, principal, want, actual[at] as Call))) at++;
    if (at === actual.length) return false;
    at++;
  }
  return true;
}

const EXPLAINS = /can't|cannot|couldn't|not allowed|refused|only|may not|don't have|unable|not permitted/i;

export interface LineOutcome {
  /** `absent`: a tool the line expects is not on this platform. */
  status: 'pass' | 'fail' | 'absent';
  /** The calls made and the reply, to show what went wrong. */
  shown: string;
  absentTools: string[];
}

/** Runs one line in a fresh world (so earlier lines' writes never matter) and judges it. */
export async function checkLine(line: Line): Promise<LineOutcome> {
  const world = await startWorld();
  try {
    const root = await world.as('root@bizosaas.test');
    const existing = new Set(world.platform.gateway.listTools(root).map((t) => t.name));
    const absentTools = (line.calls ?? []).map((c) => c.name).filter((n) => !existing.has(n));
    if (absentTools.length) return { status: 'absent', shown: '', absentTools };
    const principal = await world.as(line.as);
    const writes = writingTools(world, principal);
    const before = await okWrites(world, line.as, writes);
    const { result, calls } = await runTurn(world, principal, line.say);
    const shown = `calls: ${JSON.stringify(calls)}\nreply: ${result.text}`;
    let ok = false;
    if (line.calls) {
      ok = await callsInOrder(world, principal, line.calls, calls);
    } else if (line.refused) {
      ok = (await okWrites(world, line.as, writes)) === before && EXPLAINS.test(result.text);
    } else if (line.ask) {
      ok = !calls.some((c) => writes.has(c.name)) && result.text.includes('?');
    }
    return { status: ok ? 'pass' : 'fail', shown, absentTools };
  } finally {
    await world.close();
  }
}
