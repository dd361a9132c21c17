import { appendAudit, auditIdentity } from '../core/audit/record.ts';
import { withTenantScope } from '../core/db/tenant-scope.ts';
import { updateProfile } from '../servers/users/service.ts';
import { compare, measure } from './measure.ts';
import { benchPlatform } from './setup.ts';

/**
 * Writes through `gateway.callTool`, each committed together with its audit record, against the
 * same service function, transaction and audit insert called directly (what the database costs).
 */
export async function auditedWrites(iterations: number) {
  const world = await benchPlatform();
  try {
    const ops = await world.as('ops@bizosaas.test');
    const db = world.platform.database.db;
    return await compare(
      3,
      () =>
        measure(iterations, (i) =>
          world.platform.gateway.callTool(ops, 'users_update_profile', {
            user: 'bob@northwind.test',
            jobTitle: `Baker ${i}`,
          }),
        ),
      () =>
        measure(iterations, (i) =>
          withTenantScope(db, ops, async (tx) => {
            const args = { user: 'bob@northwind.test', jobTitle: `Baker ${i}` };
            const user = await updateProfile(tx, ops, args);
            await appendAudit(
              tx,
              {
                ...auditIdentity(ops),
                tool: 'users_update_profile',
                target: user.id,
                args,
                outcome: 'ok',
              },
              { deferred: true },
            );
          }),
        ),
    );
  } finally {
    await world.close();
  }
}
