import { timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app implements it: SHA-1, 6 digits, 30-second steps. */
const ISSUER = 'BizOSaaS';
const PERIOD_SECONDS = 30;
const DIGITS = 6;
// One step either side absorbs clock drift between the phone and the server.
const WINDOW = 1;

/** A new random TOTP secret (160 bits, base32) for a user to enrol. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** The `otpauth://` URI an authenticator app scans. */
export function totpUri(secret: string, label: string): string {
  return totp(secret, label).toString();
}

/** Whether a submitted code has the shape of a TOTP code (6 digits, an inner space allowed). */
export function looksLikeTotp(code: string): boolean {
  return /^\d{3} ?\d{3}$/.test(code.trim());
}

/**
 * The time step a code is valid for, within one step of now, and only if that step is later than
 * the last one accepted: a code is never accepted twice, not even within its own window.
 */
export function matchTotp(
  secret: string,
  code: string,
  lastStep: number | null,
  now = Date.now(),
): number | undefined {
  const given = Buffer.from(code.replace(/\s/g, ''));
  const otp = totp(secret);
  const current = Math.floor(now / 1000 / PERIOD_SECONDS);
  for (let step = current + WINDOW; step >= current - WINDOW; step--) {
    if (lastStep !== null && step <= lastStep) break;
    const expected = Buffer.from(otp.generate({ timestamp: step * PERIOD_SECONDS * 1000 }));
    if (expected.length === given.length && timingSafeEqual(expected, given)) return step;
  }
  return undefined;
}
