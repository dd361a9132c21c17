import { sql } from 'drizzle-orm';
import express, { type Request, Router } from 'express';
import type { AuditBatcher } from '../../../core/audit/batch-writer.ts';
import { type Db, rowsOf } from '../../../core/db/connection.ts';
import { AppError, toAppError } from '../../../core/errors.ts';
import { DEFAULT_FEATURES } from '../../../core/roles.ts';
import { reviewWebhook } from '../../../servers/reviews/index.ts';
import type { ReviewSource } from '../../../servers/reviews/schema.ts';
import type { Gateway } from '../../call-tool.ts';
import { type Principal, toPrincipal } from '../../principal.ts';

export interface ReviewWebhookDeps {
  db: Db;
  gateway: Gateway;
  audit: AuditBatcher;
  /** Decrypts the per-tenant webhook secrets (the key the reviews server was given). */
  webhookKey: Uint8Array;
}

interface WebhookTenant {
  id: string;
  slug: string;
  name: string;
  kind: string;
  parent_id: string | null;
  tier: string;
}

const { WEBHOOK_HEADERS } = reviewWebhook;
const MAX_BODY = '256kb';

/**
 * The tenant a delivery names, by id or slug, read as the database owner: like sign-in, this
 * establishes who is calling before any principal exists.
 */
async function findTenant(db: Db, ref: string): Promise<WebhookTenant | undefined> {
  const result = await db.execute(
    sql`select id, slug, name, kind, parent_id, tier from tenants where id = ${ref} or slug = ${ref.toLowerCase()} limit 1`,
  );
  return rowsOf<WebhookTenant>(result)[0];
}

/**
 * A verified delivery acts as a system principal of its tenant only: the `client` role (the least
 * that may write reviews), the reviews feature (and crm, to link a reviewer to a customer), that
 * tenant as its whole scope. Its calls go through the gateway's policy and audit like anyone's.
 */
function webhookPrincipal(tenant: WebhookTenant, source: ReviewSource): Principal {
  return toPrincipal(
    {
      userId: reviewWebhook.WEBHOOK_USER_ID,
      email: `${source}.webhook@system.invalid`,
      name: `${source} review webhook`,
      role: 'client',
      tenantId: tenant.id,
      tenant: {
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        kind: tenant.kind,
        parentId: tenant.parent_id,
        tier: tenant.tier,
      },
      features: {
        ...DEFAULT_FEATURES,
        ai: false,
        analytics: false,
        billing: false,
        crm: true,
        reviews: true,
      },
      categories: [],
      tenantScope: [tenant.id],
      mustResetPassword: false,
      timezone: 'UTC',
      language: 'en',
      avatarUrl: null,
    },
    { via: 'system' },
  );
}

function headerProblem(header: string, message: string): AppError {
  return new AppError('bad_request', `${header} ${message}.`, { fields: [{ field: header, message }] });
}

/** Checks everything about a delivery but its body's content; returns its tenant and source. */
async function verified(req: Request, deps: ReviewWebhookDeps) {
  const source = String(req.params.source);
  if (!reviewWebhook.isReviewSource(source))
    throw new AppError('bad_request', `Unknown review source "${source}".`, {
      fields: [{ field: 'source', message: 'must be google, facebook, yelp, trustpilot or manual' }],
    });
  const tenantRef = req.get(WEBHOOK_HEADERS.tenant)?.trim();
  if (!tenantRef || tenantRef.length > 100)
    throw headerProblem(WEBHOOK_HEADERS.tenant, 'must name the tenant (its slug or id)');
  const timestamp = req.get(WEBHOOK_HEADERS.timestamp)?.trim() ?? '';
  if (!/^\d{9,11}$/.test(timestamp))
    throw headerProblem(WEBHOOK_HEADERS.timestamp, 'must be the time of sending in unix seconds');
  if (!Buffer.isBuffer(req.body) || req.body.length === 0)
    throw new AppError('bad_request', 'Send one review as a JSON body with Content-Type: application/json.');
  const signature = req.get(WEBHOOK_HEADERS.signature);
  if (!signature) throw new AppError('unauthenticated', `${WEBHOOK_HEADERS.signature} is missing.`);
  const late = reviewWebhook.timestampProblem(timestamp, Date.now());
  if (late) throw new AppError('unauthenticated', `${late}; sign and send the delivery again.`);
  const tenant = await findTenant(deps.db, tenantRef);
  await reviewWebhook.verifyDelivery(deps.db, deps.webhookKey, {
    tenantId: tenant?.id,
    source,
    timestamp,
    signature,
    body: req.body,
  });
  return { tenant: tenant as WebhookTenant, source, body: req.body as Buffer };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.');
  }
}

/**
 * `POST /api/webhooks/reviews/:source`: review sources deliver reviews here, signed with the
 * tenant's secret for that source (`reviews_webhook_secret`). It needs the raw body to check the
 * signature, so it is mounted before the JSON parser. A verified delivery becomes one
 * `reviews_ingest` call through the gateway as the tenant's webhook principal.
 */
export function reviewWebhookRoutes(deps: ReviewWebhookDeps): Router {
  const router = Router();
  router.post(
    '/api/webhooks/reviews/:source',
    express.raw({ type: ['application/json', 'application/*+json'], limit: MAX_BODY }),
    async (req, res) => {
      const started = performance.now();
      let delivery: Awaited<ReturnType<typeof verified>>;
      let args: Record<string, unknown>;
      try {
        delivery = await verified(req, deps);
        args = reviewWebhook.ingestArgsFromWebhook(delivery.source, parseJson(delivery.body));
      } catch (error) {
        // Refused at the door, before any tool call: recorded like a refused call would be.
        const appError = toAppError(error);
        deps.audit.push({
          via: 'system',
          tool: 'webhook_reviews',
          target: String(req.params.source).slice(0, 40),
          args: { source: req.params.source, tenant: req.get(WEBHOOK_HEADERS.tenant)?.slice(0, 100) },
          outcome: appError.code,
          error: appError.message,
          durationMs: performance.now() - started,
        });
        throw error;
      }
      const result = (await deps.gateway.callTool(
        webhookPrincipal(delivery.tenant, delivery.source),
        'reviews_ingest',
        args,
      )) as { review: { id: string }; created: boolean; stale: boolean; negative: boolean };
      res.json({
        ok: true,
        review: {
          id: result.review.id,
          created: result.created,
          stale: result.stale,
          negative: result.negative,
        },
      });
    },
  );
  return router;
}
