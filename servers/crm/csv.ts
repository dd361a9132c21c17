import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { desc } from 'drizzle-orm';
import { z } from 'zod';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { createLead, type LeadQuery, leadConditions } from './leads.ts';
import { leads } from './schema.ts';

export const MAX_IMPORT_ROWS = 5000;
const KNOWN = ['name', 'email', 'phone', 'company', 'source', 'notes'] as const;

const row = z.object({
  name: z.string().trim().min(1, 'name is required').max(120),
  email: z.union([z.literal(''), z.email('not an email address').max(254)]).optional(),
  phone: z
    .string()
    .trim()
    .max(32)
    .regex(/^(\+?[0-9][0-9 ().-]{3,30})?$/, 'not a phone number')
    .optional(),
  company: z.string().trim().max(200).optional(),
  source: z.string().trim().max(50).optional(),
  notes: z.string().trim().max(5000).optional(),
});

export interface RowError {
  /** 1-based line of the file, the header being line 1. */
  line: number;
  errors: string[];
}

/**
 * Imports leads from CSV (a header row; name, email, phone, company, source, notes; any other
 * column becomes a custom field). Each row is its own savepoint: a rejected row writes nothing
 * and is reported with its line and reasons, the others are kept.
 */
export async function importLeads(tx: Tx, ctx: CallContext, csv: string, onDuplicate: 'refuse' | 'merge') {
  let records: Record<string, string>[];
  try {
    records = parse(csv, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    });
  } catch (error) {
    throw new AppError('bad_request', `csv: ${(error as Error).message}`, { field: 'csv' });
  }
  if (records.length === 0)
    throw new AppError('bad_request', 'csv: no rows after the header.', { field: 'csv' });
  if (records.length > MAX_IMPORT_ROWS)
    throw new AppError('bad_request', `csv: at most ${MAX_IMPORT_ROWS} rows at a time.`, { field: 'csv' });
  if (!('name' in (records[0] ?? {})))
    throw new AppError('bad_request', 'csv: the header needs a "name" column.', { field: 'csv' });

  const rejected: RowError[] = [];
  const created: string[] = [];
  const merged: string[] = [];
  for (const [index, record] of records.entries()) {
    const line = index + 2;
    const parsed = row.safeParse(record);
    if (!parsed.success) {
      rejected.push({
        line,
        errors: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`),
      });
      continue;
    }
    const customFields = Object.fromEntries(
      Object.entries(record).filter(([k, v]) => !(KNOWN as readonly string[]).includes(k) && v !== ''),
    );
    try {
      const result = await tx.transaction((savepoint) =>
        createLead(savepoint, ctx, {
          ...parsed.data,
          email: parsed.data.email || null,
          customFields,
          onDuplicate,
        }),
      );
      (result.merged ? merged : created).push(result.lead.id);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      rejected.push({ line, errors: [error.message] });
    }
  }
  return { created: created.length, merged: merged.length, rejected, leadIds: [...created, ...merged] };
}

/** The leads matching a filter as CSV (the same columns import reads, custom fields after them). */
export async function exportLeads(tx: Tx, q: Omit<LeadQuery, 'page' | 'pageSize'>) {
  const rows = await tx
    .select()
    .from(leads)
    .where(leadConditions(q))
    .orderBy(desc(leads.createdAt))
    .limit(50_000);
  const extra = [...new Set(rows.flatMap((r) => Object.keys(r.customFields)))].sort();
  const header = [...KNOWN, 'stage', 'score', 'created_at', ...extra];
  const csv = stringify(
    rows.map((r) => [
      r.name,
      r.email,
      r.phone,
      r.company,
      r.source,
      r.notes,
      r.stage,
      r.score,
      r.createdAt.toISOString(),
      ...extra.map((k) => r.customFields[k] ?? ''),
    ]),
    { header: true, columns: header },
  );
  return { csv, rows: rows.length };
}
