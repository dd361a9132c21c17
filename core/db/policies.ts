import { type AnyColumn, sql } from 'drizzle-orm';
import { pgPolicy } from 'drizzle-orm/pg-core';

/**
 * The row-level security policy of a tenant-owned table: a row is visible and writable only
 * when its tenant is in the scope `withTenantScope` set. `bizosaas_tenant_visible` is created
 * by the first migration.
 */
export function tenantIsolation(table: string, tenantColumn: AnyColumn) {
  return pgPolicy(`${table}_tenant_isolation`, {
    for: 'all',
    to: 'public',
    using: sql`bizosaas_tenant_visible(${tenantColumn})`,
    withCheck: sql`bizosaas_tenant_visible(${tenantColumn})`,
  });
}

/** A policy admitting only the calling user's own rows, in their home tenant. */
function ownRowsPolicy(name: string, userColumn: AnyColumn, tenantColumn: AnyColumn) {
  const own = sql`${userColumn} = current_setting('app.user_id', true) and ${tenantColumn} = current_setting('app.home_tenant_id', true)`;
  return pgPolicy(name, { for: 'all', to: 'public', using: own, withCheck: own });
}

/**
 * Beside tenant isolation: the calling user's own rows stay visible outside the tenant scope (a
 * sub-admin's own profile lives in the platform tenant), but only in the user's home tenant:
 * nobody can file their own row under another tenant.
 */
export function ownRows(table: string, userColumn: AnyColumn, tenantColumn: AnyColumn) {
  return ownRowsPolicy(`${table}_own_rows`, userColumn, tenantColumn);
}

/** Private to one person: only the user themself sees these rows, not their tenant's admins. */
export function ownerOnly(table: string, userColumn: AnyColumn, tenantColumn: AnyColumn) {
  return ownRowsPolicy(`${table}_owner_only`, userColumn, tenantColumn);
}
