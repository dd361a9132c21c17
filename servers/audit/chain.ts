import { asc, eq, gt, isNotNull, sql } from 'drizzle-orm';
import { auditChainHead, auditLog } from '../../core/audit/schema.ts';
import type { Tx } from '../../core/db/connection.ts';

const PAGE = 1000;

export interface BrokenLink {
  seq: number;
  id: string | null;
  problem: string;
}

/**
 * Walks the audit hash chain from the first hashed record: recomputes each record's hash (an
 * altered record no longer matches), checks each link to the previous hash and that sequence
 * numbers have no gaps (a deleted record leaves one), and that the chain ends at the recorded head
 * (deleted newest records). Reports the first broken link.
 */
export async function verifyChain(tx: Tx) {
  let checked = 0;
  let previous: { seq: number; hash: string } | undefined;
  let firstBroken: BrokenLink | undefined;
  for (;;) {
    const rows = await tx
      .select({
        seq: auditLog.seq,
        id: auditLog.id,
        prevHash: auditLog.prevHash,
        hash: auditLog.hash,
        expected: sql<string>`bizosaas_audit_record_hash(${auditLog})`,
      })
      .from(auditLog)
      .where(previous ? gt(auditLog.seq, previous.seq) : isNotNull(auditLog.hash))
      .orderBy(asc(auditLog.seq))
      .limit(PAGE);
    for (const row of rows) {
      firstBroken = checkLink(row, previous);
      if (firstBroken) break;
      previous = { seq: row.seq, hash: row.hash as string };
      checked += 1;
    }
    if (firstBroken || rows.length < PAGE) break;
  }
  const [head] = await tx.select().from(auditChainHead).where(eq(auditChainHead.id, 1));
  if (!firstBroken && head && head.seq > (previous?.seq ?? 0)) {
    firstBroken = {
      seq: (previous?.seq ?? 0) + 1,
      id: null,
      problem: `records ${(previous?.seq ?? 0) + 1}–${head.seq} are missing (deleted from the end)`,
    };
  }
  return { ok: !firstBroken, checked, headSeq: head?.seq ?? 0, firstBroken: firstBroken ?? null };
}

function checkLink(
  row: { seq: number; id: string; prevHash: string | null; hash: string | null; expected: string },
  previous: { seq: number; hash: string } | undefined,
): BrokenLink | undefined {
  if (previous && row.seq !== previous.seq + 1) {
    return {
      seq: previous.seq + 1,
      id: null,
      problem: `records ${previous.seq + 1}–${row.seq - 1} are missing (deleted)`,
    };
  }
  if (row.hash !== row.expected)
    return {
      seq: row.seq,
      id: row.id,
      problem: 'the record was altered after it was written (its hash no longer matches)',
    };
  if (previous && row.prevHash !== previous.hash) {
    return {
      seq: row.seq,
      id: row.id,
      problem: 'the record does not link to the one before it (previous hash differs)',
    };
  }
  return undefined;
}
