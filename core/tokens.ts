import { createHash, randomBytes } from 'node:crypto';

/** A new random bearer secret (session cookie, API key, invitation), 256 bits, URL-safe. */
export function newSecretToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * How bearer secrets are stored: a SHA-256 digest. The secrets are random and long, so a fast
 * hash is enough (a slow password hash would only slow every request down).
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
