import { and, eq, gt, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../../core/db/connection.ts';
import { hashToken, newSecretToken } from '../../core/tokens.ts';
import { mfaIsOn } from './credentials.ts';
import { sessions, userCredentials, users } from './schema.ts';
import { consumeSecondFactor, type SecondFactorMethod } from './second-factor.ts';

/**
 * The second step of signing in with MFA, before any principal exists: like the rest of the
 * identity store these run as the database owner, outside row-level security.
 */

/** How long a sign-in may wait for its second factor. */
export const MFA_PENDING_MINUTES = 10;

/** The account, when its sign-in needs a second factor; undefined when the password is enough. */
export async function secondFactorRequired(
  db: Db,
  userId: string,
): Promise<{ email: string; tenantId: string } | undefined> {
  const [row] = await db
    .select({
      email: users.email,
      tenantId: users.tenantId,
      mfaSecret: userCredentials.mfaSecret,
      mfaEnabledAt: userCredentials.mfaEnabledAt,
    })
    .from(users)
    .innerJoin(userCredentials, eq(userCredentials.userId, users.id))
    .where(eq(users.id, userId))
    .limit(1);
  return row && mfaIsOn(row) ? { email: row.email, tenantId: row.tenantId } : undefined;
}

export interface PendingSignIn {
  sessionId: string;
  userId: string;
  email: string;
  tenantId: string;
}

const pending = (condition: SQL) =>
  and(condition, eq(sessions.stage, 'mfa'), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date()));

/** The sign-in behind a cookie token that is waiting for its second factor, if any. */
export async function pendingSignIn(db: Db, token: string): Promise<PendingSignIn | undefined> {
  const [row] = await db
    .select({ sessionId: sessions.id, userId: sessions.userId, email: users.email, tenantId: users.tenantId })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(pending(eq(sessions.tokenHash, hashToken(token))))
    .limit(1);
  return row;
}

export type SecondStep =
  | { ok: true; token: string; expiresAt: Date; method: SecondFactorMethod }
  | { ok: false };

/**
 * Completes a pending sign-in with a TOTP code (replay-proof) or a recovery code (used up): the
 * session becomes active with the normal lifetime and a new token, so the token that only had
 * the password behind it is worth nothing afterwards.
 */
export async function completeSignIn(
  db: Db,
  key: Uint8Array,
  input: { sessionId: string; code: string; ttlHours: number },
): Promise<SecondStep> {
  return db.transaction(async (tx) => {
    const [session] = await tx
      .select({ id: sessions.id, userId: sessions.userId })
      .from(sessions)
      .where(pending(eq(sessions.id, input.sessionId)))
      .for('update')
      .limit(1);
    if (!session) return { ok: false };
    const [credentials] = await tx
      .select()
      .from(userCredentials)
      .where(eq(userCredentials.userId, session.userId))
      .for('update')
      .limit(1);
    if (!credentials || !mfaIsOn(credentials)) return { ok: false };
    const method = await consumeSecondFactor(tx, key, credentials, input.code);
    if (!method) return { ok: false };
    const now = new Date();
    const token = newSecretToken();
    const expiresAt = new Date(now.getTime() + input.ttlHours * 3_600_000);
    await tx
      .update(sessions)
      .set({ stage: 'active', tokenHash: hashToken(token), expiresAt, lastSeenAt: now })
      .where(eq(sessions.id, session.id));
    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, session.userId));
    return { ok: true, token, expiresAt, method };
  });
}
