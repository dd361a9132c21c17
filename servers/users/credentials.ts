import { eq } from 'drizzle-orm';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { userCredentials } from './schema.ts';

export type CredentialsRow = typeof userCredentials.$inferSelect;

/** The caller's own credentials row (to read; `lockOwnCredentials` to change it). */
export async function ownCredentials(tx: Tx, userId: string): Promise<CredentialsRow> {
  return found(await tx.select().from(userCredentials).where(eq(userCredentials.userId, userId)).limit(1));
}

/**
 * The caller's own credentials row, locked for the rest of the transaction so two changes (or a
 * code checked twice at once) are applied one after the other.
 */
export async function lockOwnCredentials(tx: Tx, userId: string): Promise<CredentialsRow> {
  return found(
    await tx.select().from(userCredentials).where(eq(userCredentials.userId, userId)).for('update').limit(1),
  );
}

function found([row]: CredentialsRow[]): CredentialsRow {
  if (!row) throw new AppError('conflict', 'Your account has no password to change or protect yet.');
  return row;
}

/** Whether MFA is on: a confirmed secret. */
export function mfaIsOn(row: Pick<CredentialsRow, 'mfaSecret' | 'mfaEnabledAt'>): row is CredentialsRow & {
  mfaSecret: string;
  mfaEnabledAt: Date;
} {
  return row.mfaSecret !== null && row.mfaEnabledAt !== null;
}
