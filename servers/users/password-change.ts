import { and, eq, isNull } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import type { AttemptLimit } from './attempt-limit.ts';
import { lockOwnCredentials } from './credentials.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { sessions, userCredentials } from './schema.ts';
import { revokeUserSessions } from './sessions.ts';

/**
 * Changes the caller's own password, proven with the current one. It ends a pending reset and
 * signs the account out everywhere else (the session making the change stays), because a
 * password is usually changed when someone else might know the old one.
 */
export async function changeOwnPassword(
  tx: Tx,
  ctx: CallContext,
  attempts: AttemptLimit,
  input: { currentPassword: string; newPassword: string },
) {
  const row = await lockOwnCredentials(tx, ctx.userId);
  attempts.assertAllowed(ctx.userId);
  if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
    attempts.failed(ctx.userId);
    throw new AppError(
      'forbidden',
      'currentPassword: this is not your current password; nothing was changed.',
      {
        field: 'currentPassword',
      },
    );
  }
  attempts.succeeded(ctx.userId);
  if (input.newPassword === input.currentPassword) {
    throw new AppError('bad_request', 'newPassword: must differ from the current password.', {
      field: 'newPassword',
    });
  }
  const changedAt = new Date();
  await tx
    .update(userCredentials)
    .set({
      passwordHash: await hashPassword(input.newPassword),
      mustReset: false,
      passwordChangedAt: changedAt,
      updatedAt: changedAt,
    })
    .where(eq(userCredentials.userId, ctx.userId));
  const revokedSessions = await revokeUserSessions(tx, ctx.userId, { exceptSessionId: ctx.sessionId });
  // Sign-ins half done with the old password (waiting for their second factor) end too.
  await tx
    .update(sessions)
    .set({ revokedAt: changedAt })
    .where(and(eq(sessions.userId, ctx.userId), eq(sessions.stage, 'mfa'), isNull(sessions.revokedAt)));
  return { ok: true, passwordChangedAt: changedAt.toISOString(), revokedSessions };
}
