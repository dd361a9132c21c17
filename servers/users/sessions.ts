import { and, desc, eq, gt, isNull, ne, type SQL } from 'drizzle-orm';
import UAParser from 'ua-parser-js';
import type { CallContext } from '../../core/call-context.ts';
import type { Db, Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { roleHas } from '../../core/roles.ts';
import { resolveUser, type UserRow } from './refs.ts';
import { assertCanManageUser } from './role-rules.ts';
import { sessions, userCredentials } from './schema.ts';

/** A user whose sessions the caller may see or end: themself, or someone they manage. */
export async function sessionOwner(tx: Tx, ctx: CallContext, ref: string | undefined): Promise<UserRow> {
  const owner = await resolveUser(tx, ref ?? ctx.userId);
  if (owner.id !== ctx.userId) {
    if (!roleHas(ctx.role, 'users.write'))
      throw new AppError('forbidden', 'You can only see and end your own sessions.');
    assertCanManageUser(ctx, owner);
  }
  return owner;
}

/** What people recognise a session by: device, browser and system, from the user agent. */
function describeAgent(userAgent: string | null) {
  const ua = new UAParser(userAgent ?? '').getResult();
  const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' ') || null;
  return {
    browser: join(ua.browser.name, ua.browser.major),
    os: join(ua.os.name, ua.os.version),
    device:
      join(ua.device.vendor, ua.device.model) ??
      (ua.device.type ? ua.device.type : userAgent ? 'Computer' : null),
  };
}

const live = (userId: string): SQL =>
  and(
    eq(sessions.userId, userId),
    isNull(sessions.revokedAt),
    gt(sessions.expiresAt, new Date()),
    eq(sessions.stage, 'active'),
  ) as SQL;

/** A user's live sessions, most recently seen first; `current` marks the caller's own. */
export async function listSessions(tx: Tx, ctx: CallContext, ref: string | undefined) {
  const owner = await sessionOwner(tx, ctx, ref);
  const rows = await tx.select().from(sessions).where(live(owner.id)).orderBy(desc(sessions.lastSeenAt));
  return {
    user: { id: owner.id, email: owner.email },
    sessions: rows.map((s) => ({
      id: s.id,
      ...describeAgent(s.userAgent),
      ip: s.ip,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      current: s.id === ctx.sessionId,
    })),
  };
}

/**
 * Ends a user's sessions: one by id, or all (optionally all but one, e.g. the caller's own).
 * Sessions are checked on every request, so the next request made with them is refused.
 */
export async function revokeUserSessions(
  db: Db | Tx,
  userId: string,
  options: { sessionId?: string | undefined; exceptSessionId?: string | undefined } = {},
): Promise<number> {
  // Sign-ins still waiting for their second factor are ended too, not only active sessions.
  const conditions: SQL[] = [
    eq(sessions.userId, userId),
    isNull(sessions.revokedAt),
    gt(sessions.expiresAt, new Date()),
  ];
  if (options.sessionId) conditions.push(eq(sessions.id, options.sessionId));
  if (options.exceptSessionId) conditions.push(ne(sessions.id, options.exceptSessionId));
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(...conditions))
    .returning({ id: sessions.id });
  return revoked.length;
}

export async function revokeSessions(
  tx: Tx,
  ctx: CallContext,
  input: { user?: string | undefined; sessionId?: string | undefined },
) {
  const owner = await sessionOwner(tx, ctx, input.user);
  const revoked = await revokeUserSessions(tx, owner.id, { sessionId: input.sessionId });
  if (input.sessionId && revoked === 0) {
    throw new AppError('not_found', `No live session ${input.sessionId} of ${owner.email}.`, {
      field: 'sessionId',
    });
  }
  return { user: { id: owner.id, email: owner.email, tenantId: owner.tenantId }, revoked };
}

/** Signs the caller out everywhere but here ("sign out other devices"). */
export async function signOutOtherSessions(tx: Tx, ctx: CallContext) {
  const revoked = await revokeUserSessions(tx, ctx.userId, { exceptSessionId: ctx.sessionId });
  return { revoked };
}

/** Makes the user choose a new password at next sign-in, and signs them out everywhere now. */
export async function forcePasswordReset(tx: Tx, ctx: CallContext, ref: string) {
  const owner = await resolveUser(tx, ref);
  if (owner.id === ctx.userId)
    throw new AppError('bad_request', 'To change your own password, use users_change_password.', {
      field: 'user',
    });
  assertCanManageUser(ctx, owner);
  await tx
    .update(userCredentials)
    .set({ mustReset: true, updatedAt: new Date() })
    .where(eq(userCredentials.userId, owner.id));
  const revoked = await revokeUserSessions(tx, owner.id);
  return {
    user: { id: owner.id, email: owner.email, tenantId: owner.tenantId },
    mustResetPassword: true,
    revokedSessions: revoked,
  };
}
