import { eq, or, sql } from 'drizzle-orm';
import type { CallContext } from '../core/call-context.ts';
import type { Tx } from '../core/db/connection.ts';
import { AppError } from '../core/errors.ts';
import { registryServices } from './schema.ts';

export type ServiceRow = typeof registryServices.$inferSelect;

/**
 * A service by id or exact name (any case). Removed services exist only for staff: a tenant
 * asking for one is told there is no such service.
 */
export async function findService(
  tx: Tx,
  ref: string,
  options: { includeRemoved?: boolean; forUpdate?: boolean } = {},
): Promise<ServiceRow> {
  const query = tx
    .select()
    .from(registryServices)
    .where(
      or(
        eq(registryServices.id, ref.toLowerCase()),
        eq(sql`lower(${registryServices.name})`, ref.toLowerCase()),
      ),
    )
    .limit(1);
  const [row] = await (options.forUpdate ? query.for('update') : query);
  if (!row || (row.status === 'removed' && !options.includeRemoved)) {
    throw new AppError('not_found', `There is no service "${ref}" in the registry.`, { field: 'service' });
  }
  return row;
}

/** A sub-admin manages only the registry categories they are scoped to; other staff manage all. */
export function assertManages(ctx: CallContext, category: string, field = 'service'): void {
  if (ctx.role !== 'sub_admin') return;
  const scoped = ctx.categories.some((c) => c.toLowerCase() === category.toLowerCase());
  if (!scoped) {
    throw new AppError(
      'forbidden',
      `You manage the ${ctx.categories.join(' and ') || 'no'} registry categories, not ${category}.`,
      { field, category, categories: ctx.categories },
    );
  }
}

/** Connection settings decide which programs run on the platform's machine: admins only. */
export function assertMayConfigureConnections(ctx: CallContext, field: string): void {
  if (ctx.role === 'super_admin' || ctx.role === 'admin') return;
  throw new AppError(
    'forbidden',
    `Only admins may set ${field}: it decides which program the platform runs or calls for tenants.`,
    { field },
  );
}
