import { and, count, desc, eq, gte, ilike, lt, or, type SQL } from 'drizzle-orm';
import { auditLog } from '../../core/audit/schema.ts';
import type { Tx } from '../../core/db/connection.ts';
import { type DateFormatter, type DateLocale, dateFormatterFor } from '../../core/format-date.ts';

export interface AuditQuery {
  /** Records where this user acted, or was acted as (impersonated). */
  userId?: string | undefined;
  query?: string | undefined;
  tool?: string | undefined;
  outcome?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  page: number;
  pageSize: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One record as tools return it; `atLocal` is `at` in the reader's time zone and language. */
export function auditView(row: typeof auditLog.$inferSelect, formatAt: DateFormatter) {
  return {
    id: row.id,
    at: row.at.toISOString(),
    atLocal: formatAt(row.at),
    tool: row.tool,
    target: row.target,
    outcome: row.outcome,
    error: row.error,
    durationMs: Math.round(row.durationMs * 100) / 100,
    user: row.userId ? { id: row.userId, email: row.userEmail } : null,
    impersonator: row.impersonatorId ? { id: row.impersonatorId, email: row.impersonatorEmail } : null,
    via: row.via,
    tenantId: row.tenantId,
    args: row.args,
    requestId: row.requestId,
  };
}

/**
 * Audit records the caller may read (row-level security bounds the tenants), newest first,
 * paged, with dates also formatted for `reader`.
 */
export async function searchAudit(tx: Tx, q: AuditQuery, reader: DateLocale) {
  const conditions: SQL[] = [];
  if (q.userId)
    conditions.push(or(eq(auditLog.userId, q.userId), eq(auditLog.impersonatorId, q.userId)) as SQL);
  if (q.tool) conditions.push(ilike(auditLog.tool, `%${escapeLike(q.tool)}%`));
  if (q.outcome) conditions.push(eq(auditLog.outcome, q.outcome));
  if (q.from) conditions.push(gte(auditLog.at, q.from));
  if (q.to) conditions.push(lt(auditLog.at, q.to));
  if (q.query) {
    const p = `%${escapeLike(q.query)}%`;
    conditions.push(
      or(
        ilike(auditLog.tool, p),
        ilike(auditLog.target, p),
        ilike(auditLog.userEmail, p),
        ilike(auditLog.impersonatorEmail, p),
        ilike(auditLog.error, p),
      ) as SQL,
    );
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const rows = await tx
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.seq))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await tx.select({ n: count() }).from(auditLog).where(where);
  const formatAt = dateFormatterFor(reader);
  return {
    items: rows.map((row) => auditView(row, formatAt)),
    page: q.page,
    pageSize: q.pageSize,
    total: total?.n ?? 0,
  };
}
