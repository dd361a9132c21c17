import { eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { CallContext } from '../../core/call-context.ts';
import { decryptSecret, encryptSecret } from '../../core/crypto.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import type { AttemptLimit } from './attempt-limit.ts';
import { lockOwnCredentials, mfaIsOn, ownCredentials } from './credentials.ts';
import { deleteRecoveryCodes, issueRecoveryCodes, recoveryCodesLeft } from './recovery-codes.ts';
import { userCredentials } from './schema.ts';
import { consumeSecondFactor } from './second-factor.ts';
import { matchTotp, newTotpSecret, totpUri } from './totp.ts';

/** What the MFA services need besides the transaction and the caller. */
export interface MfaDeps {
  /** Encrypts TOTP secrets at rest. */
  key: Uint8Array;
  /** Wrong codes per user. */
  attempts: AttemptLimit;
}

/** The caller's MFA state: on since when, recovery codes left, an enrolment waiting for its first code. */
export async function mfaStatus(tx: Tx, ctx: CallContext) {
  const row = await ownCredentials(tx, ctx.userId);
  const on = mfaIsOn(row);
  return {
    enabled: on,
    enabledAt: on ? row.mfaEnabledAt.toISOString() : null,
    recoveryCodesLeft: on ? await recoveryCodesLeft(tx, ctx.userId) : 0,
    enrolmentPending: !on && row.mfaPendingSecret !== null,
  };
}

/**
 * Starts enrolment: a new TOTP secret, kept (encrypted) as pending until a first code confirms it.
 * Enrolling again before confirming replaces the pending secret.
 */
export async function enrollMfa(tx: Tx, ctx: CallContext, deps: MfaDeps) {
  const row = await lockOwnCredentials(tx, ctx.userId);
  if (mfaIsOn(row)) {
    throw new AppError(
      'conflict',
      'Two-factor authentication is already on. To move it to another device, turn it off first (users_mfa_disable).',
    );
  }
  const secret = newTotpSecret();
  await tx
    .update(userCredentials)
    .set({ mfaPendingSecret: encryptSecret(deps.key, secret), updatedAt: new Date() })
    .where(eq(userCredentials.userId, ctx.userId));
  const otpauthUri = totpUri(secret, ctx.email);
  return {
    otpauthUri,
    qrDataUrl: await QRCode.toDataURL(otpauthUri),
    secret,
    notice:
      'Scan the QR code (or type the secret) into an authenticator app, then confirm with its current code ' +
      '(users_mfa_confirm). The secret is shown only now.',
  };
}

/** Turns MFA on with a first code from the enrolled app; answers ten new recovery codes, shown only now. */
export async function confirmMfa(tx: Tx, ctx: CallContext, deps: MfaDeps, code: string) {
  const row = await lockOwnCredentials(tx, ctx.userId);
  if (mfaIsOn(row)) throw new AppError('conflict', 'Two-factor authentication is already on.');
  if (!row.mfaPendingSecret) {
    throw new AppError('conflict', 'There is no enrolment to confirm; start one with users_mfa_enroll.');
  }
  deps.attempts.assertAllowed(ctx.userId);
  const step = matchTotp(decryptSecret(deps.key, row.mfaPendingSecret), code, row.mfaLastStep);
  if (step === undefined) {
    deps.attempts.failed(ctx.userId);
    throw new AppError(
      'bad_request',
      'code: this is not the current code of the authenticator you enrolled (or it was used already); ' +
        'check that the device’s clock is right and try the next code.',
      { field: 'code' },
    );
  }
  deps.attempts.succeeded(ctx.userId);
  const enabledAt = new Date();
  await tx
    .update(userCredentials)
    .set({
      mfaSecret: row.mfaPendingSecret,
      mfaPendingSecret: null,
      mfaEnabledAt: enabledAt,
      mfaLastStep: step,
      updatedAt: enabledAt,
    })
    .where(eq(userCredentials.userId, ctx.userId));
  const recoveryCodes = await issueRecoveryCodes(tx, { id: ctx.userId, tenantId: row.tenantId });
  return {
    enabled: true,
    enabledAt: enabledAt.toISOString(),
    recoveryCodes,
    notice:
      'Two-factor authentication is on. Store these recovery codes somewhere safe: each signs you in once ' +
      'without your phone, and they are shown only now.',
  };
}

/** Turns MFA off, proven with a current code or an unused recovery code; the recovery codes go too. */
export async function disableMfa(tx: Tx, ctx: CallContext, deps: MfaDeps, code: string) {
  const row = await lockOwnCredentials(tx, ctx.userId);
  if (!mfaIsOn(row)) throw new AppError('conflict', 'Two-factor authentication is not on.');
  deps.attempts.assertAllowed(ctx.userId);
  const method = await consumeSecondFactor(tx, deps.key, row, code);
  if (!method) {
    deps.attempts.failed(ctx.userId);
    throw new AppError(
      'forbidden',
      'code: give a current code from your authenticator app (each is accepted once) or an unused recovery code.',
      { field: 'code' },
    );
  }
  deps.attempts.succeeded(ctx.userId);
  // The last step is forgotten with the secret: it guarded codes of a secret that no longer exists.
  await tx
    .update(userCredentials)
    .set({
      mfaSecret: null,
      mfaPendingSecret: null,
      mfaEnabledAt: null,
      mfaLastStep: null,
      updatedAt: new Date(),
    })
    .where(eq(userCredentials.userId, ctx.userId));
  await deleteRecoveryCodes(tx, ctx.userId);
  return { enabled: false, provedWith: method };
}
