import type { PGlite } from '@electric-sql/pglite';
import { DEFERRED } from '../core/db/deferred.ts';
import { APP_ROLE } from '../core/db/tenant-scope.ts';
import { newId } from '../core/ids.ts';
import { measure } from './measure.ts';
import { benchPlatform } from './setup.ts';

/**
 * The floor under an audited write on PGlite: the statements `users_update_profile` sends (scope,
 * user with tenant, update, hash-chained audit insert) as hand-written SQL on the platform's PGlite
 * client, in the same three round trips, with no ORM, MCP or gateway. Undefined on Postgres.
 */
export async function writeFloor(iterations: number) {
  const world = await benchPlatform();
  try {
    if (world.platform.database.kind !== 'pglite') return undefined;
    const client = (world.platform.database.db as unknown as { $client: PGlite }).$client;
    const ops = await world.as('ops@bizosaas.test');
    const scope = `${DEFERRED} select set_config('role', $1, true), set_config('app.tenant_ids', $2, true),
                   set_config('app.user_id', $3, true), set_config('app.home_tenant_id', $4, true)`;
    const audit = `${DEFERRED} insert into audit_log (id, at, request_id, tenant_id, user_id, user_email, via, tool,
                   target, args, outcome, duration_ms) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;
    const write = (i: number) =>
      client.transaction(async (tx) => {
        await tx.query(scope, [APP_ROLE, '*', ops.userId, ops.tenantId]);
        const { rows } = await tx.query<{ id: string; tenant_id: string }>(
          `select u.*, t.slug, t.name as tenant_name from users u left join tenants t on t.id = u.tenant_id
           where u.email = $1 limit 1`,
          ['bob@northwind.test'],
        );
        const user = rows[0] as { id: string; tenant_id: string };
        const args = { user: 'bob@northwind.test', jobTitle: `Baker ${i}` };
        await tx.query('update users set job_title = $1, updated_at = $2 where id = $3 returning *', [
          args.jobTitle,
          new Date(),
          user.id,
        ]);
        await tx.query(audit, [
          newId('audit'),
          new Date(),
          newId('request'),
          user.tenant_id,
          ops.userId,
          ops.email,
          'session',
          'users_update_profile',
          user.id,
          JSON.stringify(args),
          'ok',
          1,
        ]);
      });
    // Best of three rounds, as the other measurements.
    let best = await measure(iterations, write);
    for (let round = 1; round < 3; round++) {
      const next = await measure(iterations, write);
      if (next.microsPerCall < best.microsPerCall) best = next;
    }
    return best;
  } finally {
    await world.close();
  }
}
