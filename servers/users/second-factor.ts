import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { decryptSecret } from '../../core/crypto.ts';
import type { Db, Tx } from '../../core/db/connection.ts';
import { consumeRecoveryCode } from './recovery-codes.ts';
import { userCredentials } from './schema.ts';
import { looksLikeTotp, matchTotp } from './totp.ts';

export type SecondFactorMethod = 'totp' | 'recovery_code';

/**
 * Checks a second factor of a user with MFA on: a TOTP code, accepted once (its time step is
 * recorded, in the caller's transaction, and no step up to it is accepted again), or an unused
 * recovery code, which is used up. Undefined when the code is neither.
 */
export async function consumeSecondFactor(
  tx: Db | Tx,
  key: Uint8Array,
  credentials: { userId: string; mfaSecret: string; mfaLastStep: number | null },
  code: string,
): Promise<SecondFactorMethod | undefined> {
  if (!looksLikeTotp(code)) {
    return (await consumeRecoveryCode(tx, credentials.userId, code)) ? 'recovery_code' : undefined;
  }
  const step = matchTotp(decryptSecret(key, credentials.mfaSecret), code, credentials.mfaLastStep);
  if (step === undefined) return undefined;
  // Conditional, so a code checked twice at the same moment is still accepted only once.
  const recorded = await tx
    .update(userCredentials)
    .set({ mfaLastStep: step })
    .where(
      and(
        eq(userCredentials.userId, credentials.userId),
        or(isNull(userCredentials.mfaLastStep), lt(userCredentials.mfaLastStep, step)),
      ),
    )
    .returning({ userId: userCredentials.userId });
  return recorded.length > 0 ? 'totp' : undefined;
}
