import { randomInt } from 'node:crypto';
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../core/db/connection.ts';
import { newId } from '../../core/ids.ts';
import { hashToken } from '../../core/tokens.ts';
import { mfaRecoveryCodes } from './schema.ts';

export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: the codes are read off paper and typed by hand.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;

/** A code as typed, reduced to what identifies it: case, spaces and dashes do not matter. */
function normalize(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

// 12 characters of a 31-letter alphabet: ~59 bits, too many to guess, so a fast hash is enough.
function newRecoveryCode(): string {
  const groups = Array.from({ length: GROUPS }, () =>
    Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  );
  return groups.join('-');
}

/** Replaces a user's recovery codes with ten new ones; returns them, the only time they are shown. */
export async function issueRecoveryCodes(
  tx: Db | Tx,
  user: { id: string; tenantId: string },
): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id));
  await tx.insert(mfaRecoveryCodes).values(
    codes.map((code) => ({
      id: newId('recoveryCode'),
      userId: user.id,
      tenantId: user.tenantId,
      codeHash: hashToken(normalize(code)),
    })),
  );
  return codes;
}

/** Uses up one unused recovery code of the user; false when it is unknown or was used already. */
export async function consumeRecoveryCode(tx: Db | Tx, userId: string, code: string): Promise<boolean> {
  const used = await tx
    .update(mfaRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(mfaRecoveryCodes.userId, userId),
        eq(mfaRecoveryCodes.codeHash, hashToken(normalize(code))),
        isNull(mfaRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: mfaRecoveryCodes.id });
  return used.length > 0;
}

/** How many unused recovery codes the user has left. */
export async function recoveryCodesLeft(tx: Db | Tx, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(mfaRecoveryCodes)
    .where(and(eq(mfaRecoveryCodes.userId, userId), isNull(mfaRecoveryCodes.usedAt)));
  return row?.n ?? 0;
}

/** Deletes all of a user's recovery codes (MFA turned off). */
export async function deleteRecoveryCodes(tx: Db | Tx, userId: string): Promise<void> {
  await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
}
