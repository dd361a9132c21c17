import { sql } from 'drizzle-orm';
import type { CallContext } from '../call-context.ts';
import type { Db } from '../db/connection.ts';
import { deferred } from '../db/deferred.ts';
import { newId } from '../ids.ts';
import { isSecretKey, REDACTED } from '../secret-keys.ts';
import { auditLog } from './schema.ts';

/** What one audit record says: who, as whom, what, on what, how it ended, how long it took. */
export interface AuditEntry {
  requestId?: string | undefined;
  tenantId?: string | null | undefined;
  userId?: string | null | undefined;
  userEmail?: string | null | undefined;
  impersonatorId?: string | null | undefined;
  impersonatorEmail?: string | null | undefined;
  via: string;
  tool: string;
  target?: string | null | undefined;
  args?: Record<string, unknown> | undefined;
  outcome: string;
  error?: string | null | undefined;
  durationMs?: number | undefined;
  at?: Date | undefined;
}

// Keys whose values are file contents: kept out of the log entirely (they are large and not evidence).
const BINARY_KEY = /^(image|file|content_?base64)$/i;
const MAX_STRING = 500;

/** Arguments as they may be stored: secrets replaced, long strings cut. */
export function redactArgs(args: unknown): Record<string, unknown> {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return {};
  const walk = (value: unknown, key: string, depth: number): unknown => {
    if (isSecretKey(key)) return REDACTED;
    if (BINARY_KEY.test(key) && typeof value === 'string') return `[${value.length} characters omitted]`;
    if (typeof value === 'string')
      return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
    if (depth > 4 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.slice(0, 50).map((v) => walk(v, '', depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k, depth + 1)]));
  };
  return walk(args, '', 0) as Record<string, unknown>;
}

/** The identity columns of an audit record, from a verified call context. */
export function auditIdentity(ctx: CallContext) {
  return {
    userId: ctx.userId,
    userEmail: ctx.email,
    impersonatorId: ctx.impersonatorId ?? null,
    impersonatorEmail: ctx.impersonatorEmail ?? null,
    via: ctx.via,
    tenantId: ctx.tenantId,
  } satisfies Partial<AuditEntry>;
}

function toRow(entry: AuditEntry): typeof auditLog.$inferInsert {
  return {
    id: newId('audit'),
    at: entry.at ?? new Date(),
    requestId: entry.requestId ?? null,
    tenantId: entry.tenantId ?? null,
    userId: entry.userId ?? null,
    userEmail: entry.userEmail ?? null,
    impersonatorId: entry.impersonatorId ?? null,
    impersonatorEmail: entry.impersonatorEmail ?? null,
    via: entry.via,
    tool: entry.tool,
    target: entry.target ?? null,
    args: redactArgs(entry.args),
    outcome: entry.outcome,
    error: entry.error ?? null,
    durationMs: entry.durationMs ?? 0,
  };
}

/**
 * Appends audit records, in the caller's transaction when given one. `deferred` lets the insert
 * travel with the transaction's COMMIT (see `core/db/deferred.ts`): for a write's own record,
 * written last, whose failure still rolls the write back.
 */
export async function appendAudit(
  db: Db,
  entries: AuditEntry | AuditEntry[],
  options: { deferred?: boolean } = {},
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  const insert = db.insert(auditLog).values(list.map(toRow));
  if (options.deferred) await db.execute(deferred(insert));
  else await insert;
}

/**
 * Appends many records in one statement with one JSON parameter: a batch of hundreds of rows
 * as bound parameters would cost the database more to parse than the rows cost to write.
 */
export async function appendAuditBatch(db: Db, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => {
    const r = toRow(e);
    return {
      id: r.id,
      at: (r.at as Date).toISOString(),
      request_id: r.requestId,
      tenant_id: r.tenantId,
      user_id: r.userId,
      user_email: r.userEmail,
      impersonator_id: r.impersonatorId,
      impersonator_email: r.impersonatorEmail,
      via: r.via,
      tool: r.tool,
      target: r.target,
      args: r.args,
      outcome: r.outcome,
      error: r.error,
      duration_ms: r.durationMs,
    };
  });
  await db.execute(sql`
    insert into audit_log (id, at, request_id, tenant_id, user_id, user_email, impersonator_id, impersonator_email,
                           via, tool, target, args, outcome, error, duration_ms)
    select id, at, request_id, tenant_id, user_id, user_email, impersonator_id, impersonator_email,
           via, tool, target, args, outcome, error, duration_ms
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
      id text, at timestamptz, request_id text, tenant_id text, user_id text, user_email text, impersonator_id text,
      impersonator_email text, via text, tool text, target text, args jsonb, outcome text, error text, duration_ms real)
    order by at`);
}
