import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { newId } from '../../core/ids.ts';
import { invalidField } from './inputs.ts';
import { findTemplate } from './refs.ts';
import { replyTemplates } from './schema.ts';
import { type TemplateRow, templateView } from './views.ts';

/** What a template may say about the review it answers. */
export const PLACEHOLDERS = ['reviewer', 'business', 'rating'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** The placeholders a body uses; an unknown one is refused, naming the field it is in. */
export function placeholdersOf(body: string, field = 'body'): Set<Placeholder> {
  const used = new Set<Placeholder>();
  for (const [, name] of body.matchAll(/\{([^{}]*)\}/g)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(name ?? ''))
      throw invalidField(
        field,
        `unknown placeholder {${name}}; allowed: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
      );
    used.add(name as Placeholder);
  }
  return used;
}

/** A template's text for one review. */
export function renderTemplate(body: string, values: Record<Placeholder, string>): string {
  return body.replace(/\{(reviewer|business|rating)\}/g, (_, name: Placeholder) => values[name]);
}

/** Whether a template is meant for reviews with this many stars. */
export const fitsRating = (t: TemplateRow, rating: number) => t.minRating <= rating && rating <= t.maxRating;

/** The caller's organisation's templates, optionally only those meant for a given star rating. */
export async function listTemplates(tx: Tx, ctx: CallContext, rating?: number) {
  const rows = await tx
    .select()
    .from(replyTemplates)
    .where(
      and(
        eq(replyTemplates.tenantId, ctx.tenantId),
        rating === undefined ? undefined : lte(replyTemplates.minRating, rating),
        rating === undefined ? undefined : gte(replyTemplates.maxRating, rating),
      ),
    )
    .orderBy(asc(replyTemplates.name));
  return { templates: rows.map(templateView) };
}

/** Creates a template, or replaces the one with the same name. */
export async function saveTemplate(
  tx: Tx,
  ctx: CallContext,
  input: { name: string; body: string; minRating: number; maxRating: number },
) {
  if (input.minRating > input.maxRating)
    throw invalidField('minRating', `must be at most maxRating (${input.maxRating})`);
  placeholdersOf(input.body);
  const fields = { body: input.body, minRating: input.minRating, maxRating: input.maxRating };
  const [row] = await tx
    .insert(replyTemplates)
    .values({ id: newId('replyTemplate'), tenantId: ctx.tenantId, name: input.name, ...fields })
    .onConflictDoUpdate({ target: [replyTemplates.tenantId, replyTemplates.name], set: fields })
    .returning();
  return { template: templateView(row as TemplateRow) };
}

export async function deleteTemplate(tx: Tx, ctx: CallContext, ref: string) {
  const template = await findTemplate(tx, ctx.tenantId, ref);
  await tx.delete(replyTemplates).where(eq(replyTemplates.id, template.id));
  return { deleted: templateView(template) };
}
