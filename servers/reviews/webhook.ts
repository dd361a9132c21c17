import type { Db } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { REVIEW_SOURCES, type ReviewSource } from './schema.ts';
import { webhookSecretOf } from './webhook-keys.ts';
import { signatureMatches } from './webhook-signature.ts';

export { WEBHOOK_USER_ID } from './webhook-keys.ts';
export { ingestArgsFromWebhook } from './webhook-payload.ts';
export {
  signWebhook,
  timestampProblem,
  WEBHOOK_HEADERS,
  WEBHOOK_TOLERANCE_SECONDS,
} from './webhook-signature.ts';

/** What the gateway's webhook door needs from the reviews domain before any principal exists. */

export function isReviewSource(value: string): value is ReviewSource {
  return (REVIEW_SOURCES as readonly string[]).includes(value);
}

// One answer for every way a signature can fail, so a caller learns nothing about which tenants
// exist or have a secret for the source.
const NOT_VERIFIED = 'The webhook signature could not be verified for this tenant and source.';

/** Checks a delivery's signature against the tenant's secret for the source; throws unauthenticated otherwise. */
export async function verifyDelivery(
  db: Db,
  key: Uint8Array,
  delivery: {
    tenantId: string | undefined;
    source: ReviewSource;
    timestamp: string;
    signature: string;
    body: Buffer;
  },
): Promise<void> {
  const secret = delivery.tenantId
    ? await webhookSecretOf(db, key, delivery.tenantId, delivery.source)
    : undefined;
  if (!secret || !signatureMatches(secret, delivery.timestamp, delivery.body, delivery.signature))
    throw new AppError('unauthenticated', NOT_VERIFIED);
}
