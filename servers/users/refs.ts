import { eq, or, type SQL } from 'drizzle-orm';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { isId } from '../../core/ids.ts';
import { tenants, users } from './schema.ts';

export type UserRow = typeof users.$inferSelect;
export type TenantRow = typeof tenants.$inferSelect;

/**
 * Finds a user by id (`usr_…`) or email, inside the caller's scope (row-level security): a user
 * outside it is reported as not found, which tells nothing about who exists elsewhere.
 */
export async function resolveUser(tx: Tx, ref: string): Promise<UserRow> {
  const value = ref.trim();
  let condition: SQL;
  if (isId('user', value)) condition = eq(users.id, value);
  else if (value.includes('@')) condition = eq(users.email, value.toLowerCase());
  else
    throw new AppError('bad_request', `user must be a user id (usr_…) or an email address, got "${value}".`, {
      field: 'user',
    });
  const [row] = await tx.select().from(users).where(condition).limit(1);
  if (!row)
    throw new AppError('not_found', `No user "${value}" among the users you can access.`, { field: 'user' });
  return row;
}

/** Finds a tenant by id (`ten_…`) or slug, inside the caller's scope. */
export async function resolveTenant(tx: Tx, ref: string): Promise<TenantRow> {
  const value = ref.trim();
  const [row] = await tx
    .select()
    .from(tenants)
    .where(
      isId('tenant', value)
        ? eq(tenants.id, value)
        : or(eq(tenants.slug, value.toLowerCase()), eq(tenants.id, value)),
    )
    .limit(1);
  if (!row)
    throw new AppError('not_found', `No tenant "${value}" among the tenants you can access.`, {
      field: 'tenant',
    });
  return row;
}
