import { sql } from 'drizzle-orm';
import type { CallContext } from '../call-context.ts';
import type { Db, Tx } from './connection.ts';
import { deferred } from './deferred.ts';

/** The non-superuser role every tenant-scoped query runs as, so row-level security applies. */
export const APP_ROLE = 'bizosaas_app';

/**
 * Runs `fn` in a transaction as the application role with the caller's tenant scope set, so
 * row-level security filters every table even where the code forgets a `tenant_id` condition.
 */
export function withTenantScope<T>(
  db: Db,
  ctx: Pick<CallContext, 'tenantScope' | 'userId' | 'tenantId'>,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const scope = ctx.tenantScope === '*' ? '*' : ctx.tenantScope.join(',');
  return db.transaction(async (tx) => {
    await tx.execute(
      deferred(
        sql`select set_config('role', ${APP_ROLE}, true), set_config('app.tenant_ids', ${scope}, true),
                   set_config('app.user_id', ${ctx.userId}, true), set_config('app.home_tenant_id', ${ctx.tenantId}, true)`,
      ),
    );
    return fn(tx);
  });
}
