/**
 * Which keys of tool arguments and results hold secrets (passwords, tokens, API keys, credentials,
 * one-time codes, MFA enrolment secrets): what the audit log, saved conversations and task run
 * history store in their place.
 */
export const REDACTED = '[redacted]';

const SECRET_KEY =
  /(password|passphrase|secret|token|api_?key|credentials?)$|^(otp|code|totp|recovery_?codes?|otpauth_?uri|qr_?data_?url)$/i;

/** Whether the value under this key is a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}
