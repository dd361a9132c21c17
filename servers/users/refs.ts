import { eq, or, type SQL } from 'drizzle-orm';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { isId } from '../../core/ids.ts';
import { tenants, users } from './schema.ts';

export type UserRow = typeof users.$inferSelect;
export type TenantRow = typeof tenants.$inferSelect;

/** The condition that finds a user by id (`usr_…`) or email; anything else is refused. */
function userCondition(value: string): SQL {
  if (isId('user', value)) return eq(users.id, value);
  if (value.includes('@')) return eq(users.email, value.toLowerCase());
  throw new AppError('bad_request', `user must be a user id (usr_…) or an email address, got "${value}".`, {
    field: 'user',
  });
}

function userNotFound(value: string): AppError {
  return new AppError('not_found', `No user "${value}" among the users you can access.`, { field: 'user' });
}

/**
 * Finds a user by id (`usr_…`) or email, inside the caller's scope (row-level security): a user
 * outside it is reported as not found, which tells nothing about who exists elsewhere.
 */
export async function resolveUser(tx: Tx, ref: string): Promise<UserRow> {
  const value = ref.trim();
  const [row] = await tx.select().from(users).where(userCondition(value)).limit(1);
  if (!row) throw userNotFound(value);
  return row;
}

/**
 * A user as `resolveUser` finds them, with their tenant's name in the same query (null when the
 * tenant lies outside the caller's scope, as a sub-admin's own platform tenant does).
 */
export async function resolveUserWithTenant(
  tx: Tx,
  ref: string,
): Promise<{ user: UserRow; tenant: Pick<TenantRow, 'id' | 'slug' | 'name'> | null }> {
  const value = ref.trim();
  const [row] = await tx
    .select({ user: users, tenant: { id: tenants.id, slug: tenants.slug, name: tenants.name } })
    .from(users)
    .leftJoin(tenants, eq(tenants.id, users.tenantId))
    .where(userCondition(value))
    .limit(1);
  if (!row) throw userNotFound(value);
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
