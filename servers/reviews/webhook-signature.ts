import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a review webhook delivery is signed (Stripe-style): the sender computes
 * `HMAC-SHA256(secret, "<timestamp>.<raw body>")` and sends it hex-encoded as
 * `X-BizOSaaS-Signature: sha256=<hex>`, with `X-BizOSaaS-Timestamp: <unix seconds>` and
 * `X-BizOSaaS-Tenant: <tenant slug or id>`. The timestamp is inside the signature and must be
 * within five minutes of our clock, so a captured delivery cannot be replayed later.
 */
export const WEBHOOK_HEADERS = {
  tenant: 'x-bizosaas-tenant',
  timestamp: 'x-bizosaas-timestamp',
  signature: 'x-bizosaas-signature',
} as const;

export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The signature header value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number | string, body: Buffer | string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `sha256=${mac}`;
}

/** Whether a signature header is right for this body and timestamp (compared in constant time). */
export function signatureMatches(secret: string, timestamp: string, body: Buffer, header: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(header.trim().toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Why a timestamp header is unacceptable, or undefined when it is within the tolerance. */
export function timestampProblem(header: string | undefined, nowMs: number): string | undefined {
  if (!header || !/^\d{9,11}$/.test(header.trim()))
    return `${WEBHOOK_HEADERS.timestamp} must be the time of sending in unix seconds`;
  const skew = Math.abs(nowMs / 1000 - Number(header));
  if (skew > WEBHOOK_TOLERANCE_SECONDS)
    return `${WEBHOOK_HEADERS.timestamp} is ${Math.round(skew)} s away from our clock (at most ${WEBHOOK_TOLERANCE_SECONDS} s allowed)`;
  return undefined;
}
