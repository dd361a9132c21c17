import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { isId } from '../../core/ids.ts';
import { replyTemplates, reviews } from './schema.ts';
import type { ReviewRow, TemplateRow } from './views.ts';

/**
 * A review by id, inside the caller's scope (row-level security): another tenant's review is
 * not found, which tells nothing about what exists elsewhere. Locked when it is about to change.
 */
export async function findReview(
  tx: Tx,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ReviewRow> {
  const query = tx.select().from(reviews).where(eq(reviews.id, id));
  const [row] = await (options.forUpdate ? query.for('update') : query);
  if (!row) throw new AppError('not_found', `No review ${id} that you can access.`, { field: 'review' });
  return row;
}

/** A reply template by id or name, among the given tenant's templates. */
export async function findTemplate(
  tx: Tx,
  tenantId: string,
  ref: string,
  field = 'template',
): Promise<TemplateRow> {
  const byRef = isId('replyTemplate', ref) ? eq(replyTemplates.id, ref) : eq(replyTemplates.name, ref);
  const [row] = await tx
    .select()
    .from(replyTemplates)
    .where(and(eq(replyTemplates.tenantId, tenantId), byRef))
    .limit(1);
  if (!row) throw new AppError('not_found', `No reply template "${ref}" in your library.`, { field });
  return row;
}
