import { eq } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { roleHas } from '../../core/roles.ts';
import { resolveUser, type UserRow } from './refs.ts';
import { assertCanManageUser } from './role-rules.ts';
import { tenants } from './schema.ts';
import { type UserView, userView } from './views.ts';

/**
 * The user a self-service tool acts on: the caller when `ref` is omitted; anyone else needs
 * `users.write` and the right to manage them (role rules). Outside the caller's scope the user
 * is not found. `what` names the thing in the refusal ("avatar", "notification preferences").
 */
export async function resolveOwnOrManaged(
  tx: Tx,
  ctx: CallContext,
  ref: string | undefined,
  what: string,
): Promise<UserRow> {
  const target = await resolveUser(tx, ref ?? ctx.userId);
  if (target.id !== ctx.userId) {
    if (!roleHas(ctx.role, 'users.write'))
      throw new AppError('forbidden', `You can only change your own ${what}.`);
    assertCanManageUser(ctx, target);
  }
  return target;
}

/** A user row as tools return it, with its tenant. */
export async function viewWithTenant(tx: Tx, user: UserRow): Promise<UserView> {
  const [tenant] = await tx
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
    .from(tenants)
    .where(eq(tenants.id, user.tenantId))
    .limit(1);
  return userView(user, tenant);
}
