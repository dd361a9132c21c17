import { and, eq, gt, isNull } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Db, Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { signImpersonationToken } from '../../core/impersonation-token.ts';
import { resolveUser } from './refs.ts';
import { impersonations } from './schema.ts';

/**
 * Starts "View As": a super admin acts as another user through a short-lived token. The policy
 * already refused anyone but a super admin, and any call made while impersonating (no nesting).
 */
export async function startImpersonation(tx: Tx, ctx: CallContext, ref: string, key: Uint8Array) {
  const subject = await resolveUser(tx, ref);
  if (subject.id === ctx.userId)
    throw new AppError('bad_request', 'You cannot impersonate yourself.', { field: 'user' });
  if (subject.role === 'super_admin') throw new AppError('forbidden', 'Super admins cannot be impersonated.');
  if (subject.status !== 'active')
    throw new AppError('conflict', `${subject.email} is not an active account (status ${subject.status}).`);
  const id = newId('impersonation');
  const { token, expiresAt } = await signImpersonationToken(
    { id, subjectId: subject.id, actorId: ctx.userId },
    key,
  );
  await tx
    .insert(impersonations)
    .values({ id, actorId: ctx.userId, subjectId: subject.id, tenantId: subject.tenantId, expiresAt });
  return {
    token,
    expiresAt: expiresAt.toISOString(),
    subject: {
      id: subject.id,
      email: subject.email,
      name: subject.name,
      role: subject.role,
      tenantId: subject.tenantId,
    },
  };
}

/** Ends "View As": the grant behind the calling token, or (from the admin's own session) all of theirs. */
export async function endImpersonation(tx: Tx, ctx: CallContext) {
  const condition = ctx.impersonatorId
    ? and(eq(impersonations.actorId, ctx.impersonatorId), eq(impersonations.subjectId, ctx.userId))
    : eq(impersonations.actorId, ctx.userId);
  const ended = await tx
    .update(impersonations)
    .set({ endedAt: new Date() })
    .where(and(condition, isNull(impersonations.endedAt)))
    .returning({ id: impersonations.id, tenantId: impersonations.tenantId });
  return { ended: ended.length, tenantId: ended[0]?.tenantId };
}

/** The live grant behind a token (checked on every request, so ending it takes effect at once). */
export async function liveImpersonation(db: Db, id: string) {
  const [row] = await db
    .select()
    .from(impersonations)
    .where(
      and(
        eq(impersonations.id, id),
        isNull(impersonations.endedAt),
        gt(impersonations.expiresAt, new Date()),
      ),
    )
    .limit(1);
  return row;
}
