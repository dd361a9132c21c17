import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import { decryptSecret, encryptSecret } from '../../core/crypto.ts';
import type { Db, Tx } from '../../core/db/connection.ts';
import { withTenantScope } from '../../core/db/tenant-scope.ts';
import { type ReviewSource, reviewWebhookKeys } from './schema.ts';
import { WEBHOOK_HEADERS, WEBHOOK_TOLERANCE_SECONDS } from './webhook-signature.ts';

/** The user id webhook deliveries act as, once their signature is verified. */
export const WEBHOOK_USER_ID = 'system:webhook';

/**
 * Creates (or rotates: the old one stops working at once) the secret a source signs its
 * deliveries to this organisation with. Stored encrypted; returned only here, once.
 */
export async function issueWebhookSecret(tx: Tx, ctx: CallContext, key: Uint8Array, source: ReviewSource) {
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const [existing] = await tx
    .select({ source: reviewWebhookKeys.source })
    .from(reviewWebhookKeys)
    .where(and(eq(reviewWebhookKeys.tenantId, ctx.tenantId), eq(reviewWebhookKeys.source, source)))
    .for('update');
  const stored = { secret: encryptSecret(key, secret), createdAt: new Date() };
  await tx
    .insert(reviewWebhookKeys)
    .values({ tenantId: ctx.tenantId, source, ...stored })
    .onConflictDoUpdate({ target: [reviewWebhookKeys.tenantId, reviewWebhookKeys.source], set: stored });
  return {
    source,
    tenantId: ctx.tenantId,
    secret,
    rotated: Boolean(existing),
    url: `/api/webhooks/reviews/${source}`,
    signing: {
      headers: {
        [WEBHOOK_HEADERS.tenant]: ctx.tenantId,
        [WEBHOOK_HEADERS.timestamp]: 'unix seconds; within 5 minutes of our clock',
        [WEBHOOK_HEADERS.signature]: 'sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the secret>',
      },
      toleranceSeconds: WEBHOOK_TOLERANCE_SECONDS,
    },
  };
}

/**
 * The secret a delivery to this tenant and source must be signed with, read before any principal
 * exists, in a transaction scoped to that one tenant.
 */
export async function webhookSecretOf(
  db: Db,
  key: Uint8Array,
  tenantId: string,
  source: ReviewSource,
): Promise<string | undefined> {
  const [row] = await withTenantScope(
    db,
    { tenantScope: [tenantId], userId: WEBHOOK_USER_ID, tenantId },
    (tx) =>
      tx
        .select({ secret: reviewWebhookKeys.secret })
        .from(reviewWebhookKeys)
        .where(and(eq(reviewWebhookKeys.tenantId, tenantId), eq(reviewWebhookKeys.source, source))),
  );
  return row ? decryptSecret(key, row.secret) : undefined;
}
