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

/** Rows that belong to the calling user themself stay visible outside the tenant scope. */
export function ownRows(table: string, userColumn: AnyColumn) {
  return pgPolicy(`${table}_own_rows`, {
    for: 'all',
    to: 'public',
    using: sql`${userColumn} = current_setting('app.user_id', true)`,
    withCheck: sql`${userColumn} = current_setting('app.user_id', true)`,
  });
}
