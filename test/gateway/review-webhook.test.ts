import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../core/audit/schema.ts';
import { decryptSecret } from '../../core/crypto.ts';
import { reviewWebhook } from '../../servers/reviews/index.ts';
import { reviews, reviewWebhookKeys } from '../../servers/reviews/schema.ts';
import { eventsNamed, footprint } from '../servers/reviews/fixtures.ts';
import { httpClient } from '../support/http.ts';
import { scriptedModel } from '../support/scripted-model.ts';
import { startWorld, type World } from '../support/world.ts';

interface Delivery {
  tenant?: string;
  secret?: string;
  timestamp?: number | string;
  signature?: string;
  contentType?: string;
  omit?: ('tenant' | 'timestamp' | 'signature')[];
}

const now = () => Math.floor(Date.now() / 1000);

/** A Google Business Profile review, as Google's API and notifications carry it. */
function googleReview(overrides: Record<string, unknown> = {}) {
  return {
    name: 'accounts/112233/locations/high-street/reviews/AIe9_BGz',
    reviewId: 'AIe9_BGz',
    reviewer: { displayName: 'Gus Grumble', profilePhotoUrl: 'https://example.com/gus.png' },
    starRating: 'TWO',
    comment: 'Waited 40 minutes and the coffee was cold.',
    createTime: '2026-06-01T09:15:00.123456Z',
    updateTime: '2026-06-01T09:15:00.123456Z',
    ...overrides,
  };
}

describe('Review webhook: POST /api/webhooks/reviews/:source', () => {
  let world: World;
  let http: ReturnType<typeof httpClient>;
  const secrets: Record<string, string> = {};
  let northwind: string;

  /** Sends a body (signed with `secret` unless a signature is given) the way a source would. */
  function deliver(source: string, body: unknown, d: Delivery = {}) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const timestamp = String(d.timestamp ?? now());
    const headers: Record<string, string> = { 'content-type': d.contentType ?? 'application/json' };
    if (!d.omit?.includes('tenant')) headers['x-bizosaas-tenant'] = d.tenant ?? 'northwind';
    if (!d.omit?.includes('timestamp')) headers['x-bizosaas-timestamp'] = timestamp;
    if (!d.omit?.includes('signature'))
      headers['x-bizosaas-signature'] =
        d.signature ?? reviewWebhook.signWebhook(d.secret ?? (secrets.google as string), timestamp, raw);
    return http.request('POST', `/api/webhooks/reviews/${source}`, raw, headers);
  }

  async function secretFor(email: string, source: string) {
    const principal = await world.as(email);
    return (await world.platform.gateway.callTool(principal, 'reviews_webhook_secret', { source })) as {
      secret: string;
      rotated: boolean;
      tenantId: string;
      url: string;
    };
  }

  before(async () => {
    world = await startWorld();
    http = httpClient(world.url);
    northwind = await world.tenantId('northwind');
    secrets.google = (await secretFor('nina@northwind.test', 'google')).secret;
    secrets.yelp = (await secretFor('nina@northwind.test', 'yelp')).secret;
    secrets.acme = (await secretFor('carol@acme.test', 'google')).secret;
  });
  after(() => world.close());

  describe('the secret', () => {
    it('is shown once, stored only encrypted, and rotating it retires the old one', async () => {
      const first = await secretFor('nina@northwind.test', 'trustpilot');
      expect(first).to.include({
        rotated: false,
        tenantId: northwind,
        url: '/api/webhooks/reviews/trustpilot',
      });
      expect(first.secret).to.match(/^whsec_[A-Za-z0-9_-]{43}$/);
      const [row] = await world.database.db
        .select()
        .from(reviewWebhookKeys)
        .where(and(eq(reviewWebhookKeys.tenantId, northwind), eq(reviewWebhookKeys.source, 'trustpilot')));
      expect(row?.secret).to.not.contain(first.secret);
      expect(decryptSecret(world.platform.keys.key('credentials'), row?.secret as string)).to.equal(
        first.secret,
      );

      const body = { externalId: 'tp-1', reviewer: 'Tia', rating: 5, comment: 'Great.' };
      expect((await deliver('trustpilot', body, { secret: first.secret })).status).to.equal(200);
      const second = await secretFor('nina@northwind.test', 'trustpilot');
      expect(second.rotated).to.equal(true);
      expect(second.secret).to.not.equal(first.secret);
      expect((await deliver('trustpilot', body, { secret: first.secret })).status).to.equal(401);
      expect((await deliver('trustpilot', body, { secret: second.secret })).status).to.equal(200);
    });
  });

  describe('a signed delivery', () => {
    let reviewId: string;

    it('ingests a Google review, mapping its star words, location and reviewer', async () => {
      const res = await deliver('google', googleReview());
      expect(res.status).to.equal(200);
      expect(res.json).to.deep.include({ ok: true });
      expect(res.json.review).to.include({ created: true, stale: false, negative: true });
      reviewId = res.json.review.id;
      const [row] = await world.database.db.select().from(reviews).where(eq(reviews.id, reviewId));
      expect(row).to.include({
        tenantId: northwind,
        source: 'google',
        externalId: 'AIe9_BGz',
        location: 'high-street',
        reviewerName: 'Gus Grumble',
        rating: 2,
        comment: 'Waited 40 minutes and the coffee was cold.',
        replyState: 'none',
      });
      expect(row?.createTime.toISOString()).to.equal('2026-06-01T09:15:00.123Z');
      expect(row?.topics).to.include('wait time');
    });

    it('goes through the gateway as the tenant’s system principal: audited as reviews_ingest via system', async () => {
      await world.platform.audit.flush();
      const records = await world.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tool, 'reviews_ingest'), eq(auditLog.target, reviewId)));
      expect(records).to.have.length(1);
      expect(records[0]).to.include({
        via: 'system',
        userId: reviewWebhook.WEBHOOK_USER_ID,
        userEmail: 'google.webhook@system.invalid',
        tenantId: northwind,
        outcome: 'ok',
      });
    });

    it('raises reviews.negative_received for automation, in the review’s tenant', async () => {
      const events = (await eventsNamed(world, 'reviews.negative_received')).filter(
        (e) => e.payload.reviewId === reviewId,
      );
      expect(events).to.have.length(1);
      expect(events[0]).to.include({ tenantId: northwind, actorId: reviewWebhook.WEBHOOK_USER_ID });
      expect(events[0]?.payload).to.include({ source: 'google', rating: 2, reviewer: 'Gus Grumble' });
    });

    it('is idempotent by the source’s review id: the same review again updates the one row', async () => {
      const before = await footprint(world);
      const same = await deliver('google', googleReview());
      expect(same.status).to.equal(200);
      expect(same.json.review).to.deep.equal({ id: reviewId, created: false, stale: false, negative: true });
      const edited = await deliver(
        'google',
        googleReview({
          starRating: 'FOUR',
          comment: 'They called me and made it right. Good people.',
          updateTime: '2026-06-03T10:00:00Z',
          reviewReply: { comment: 'So sorry, Gus. Thank you!', updateTime: '2026-06-02T08:00:00Z' },
        }),
      );
      expect(edited.status).to.equal(200);
      expect(edited.json.review).to.include({ id: reviewId, created: false, negative: false });
      const rows = await world.database.db.select().from(reviews).where(eq(reviews.externalId, 'AIe9_BGz'));
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({
        rating: 4,
        replyState: 'published',
        replyText: 'So sorry, Gus. Thank you!',
      });
      const after = await footprint(world);
      expect(after.reviews).to.equal(before.reviews);
    });

    it('takes the tenant by id as well as by slug, and the normalized shape from other sources', async () => {
      const res = await deliver(
        'yelp',
        {
          externalId: 'yelp-77',
          location: 'harbour',
          reviewer: 'Yan',
          rating: 5,
          comment: 'Lovely pastries.',
        },
        { tenant: northwind, secret: secrets.yelp },
      );
      expect(res.status).to.equal(200);
      const [row] = await world.database.db.select().from(reviews).where(eq(reviews.externalId, 'yelp-77'));
      expect(row).to.include({ tenantId: northwind, source: 'yelp', location: 'harbour', rating: 5 });
    });

    it('refuses a signed review that is not valid, naming the field, and writes nothing', async () => {
      const before = await footprint(world);
      const google = await deliver('google', googleReview({ reviewId: 'bad-1', starRating: 'SIX' }));
      expect(google.status).to.equal(400);
      expect(google.json.error.code).to.equal('bad_request');
      expect(google.json.error.details.fields.map((f: { field: string }) => f.field)).to.deep.equal([
        'starRating',
      ]);
      const yelp = await deliver(
        'yelp',
        { externalId: 'y-bad', reviewer: 'Y', rating: 9 },
        { secret: secrets.yelp },
      );
      expect(yelp.status).to.equal(400);
      expect(yelp.json.error.details.fields.map((f: { field: string }) => f.field)).to.deep.equal(['rating']);
      const notJson = await deliver('google', '{"reviewId": ', {});
      expect(notJson.status).to.equal(400);
      expect(await footprint(world)).to.deep.equal(before);
    });
  });

  describe('a delivery that cannot be trusted', () => {
    const body = googleReview({ reviewId: 'forged', starRating: 'ONE' });

    async function expectRefused(
      res: Awaited<ReturnType<typeof deliver>>,
      status: number,
      code: string,
      before: Awaited<ReturnType<typeof footprint>>,
    ) {
      expect(res.status).to.equal(status);
      expect(res.headers.get('content-type')).to.match(/application\/json/);
      expect(res.json.error.code).to.equal(code);
      expect(await footprint(world)).to.deep.equal(before);
    }

    it('is refused with a wrong signature (401), writing nothing', async () => {
      const before = await footprint(world);
      await expectRefused(
        await deliver('google', body, { signature: `sha256=${'0'.repeat(64)}` }),
        401,
        'unauthenticated',
        before,
      );
      await expectRefused(
        await deliver('google', body, { secret: 'whsec_guess' }),
        401,
        'unauthenticated',
        before,
      );
    });

    it('is refused when signed with another tenant’s secret, or its body changed after signing', async () => {
      const before = await footprint(world);
      await expectRefused(
        await deliver('google', body, { secret: secrets.acme }),
        401,
        'unauthenticated',
        before,
      );
      const timestamp = now();
      const signature = reviewWebhook.signWebhook(secrets.google as string, timestamp, JSON.stringify(body));
      const tampered = { ...body, starRating: 'FIVE' };
      await expectRefused(
        await deliver('google', tampered, { timestamp, signature }),
        401,
        'unauthenticated',
        before,
      );
    });

    it('is refused for an unknown tenant, or a source the tenant has no secret for, with the same answer', async () => {
      const before = await footprint(world);
      const unknown = await deliver('google', body, { tenant: 'no-such-tenant' });
      await expectRefused(unknown, 401, 'unauthenticated', before);
      const noSecret = await deliver('facebook', { externalId: 'fb-1', reviewer: 'F', rating: 1 });
      await expectRefused(noSecret, 401, 'unauthenticated', before);
      expect(noSecret.json.error.message).to.equal(unknown.json.error.message);
    });

    it('is refused when its timestamp is more than five minutes off (a replay), though signed right', async () => {
      const before = await footprint(world);
      const stale = await deliver('google', body, { timestamp: now() - 6 * 60 });
      await expectRefused(stale, 401, 'unauthenticated', before);
      expect(stale.json.error.message).to.contain('x-bizosaas-timestamp');
      await expectRefused(
        await deliver('google', body, { timestamp: now() + 6 * 60 }),
        401,
        'unauthenticated',
        before,
      );
    });

    it('is refused without its headers: tenant or timestamp (400), signature (401)', async () => {
      const before = await footprint(world);
      await expectRefused(await deliver('google', body, { omit: ['tenant'] }), 400, 'bad_request', before);
      await expectRefused(await deliver('google', body, { omit: ['timestamp'] }), 400, 'bad_request', before);
      await expectRefused(
        await deliver('google', body, { omit: ['signature'] }),
        401,
        'unauthenticated',
        before,
      );
    });

    it('is refused for an unknown source (400, naming source) or a body that is not JSON', async () => {
      const before = await footprint(world);
      const unknown = await deliver('myspace', body);
      await expectRefused(unknown, 400, 'bad_request', before);
      expect(unknown.json.error.details.fields[0].field).to.equal('source');
      await expectRefused(
        await deliver('google', body, { contentType: 'text/plain' }),
        400,
        'bad_request',
        before,
      );
    });

    it('leaves an audit record of each refusal at the door', async () => {
      await deliver('google', body, { tenant: 'audit-probe', signature: `sha256=${'1'.repeat(64)}` });
      await world.platform.audit.flush();
      const records = (
        await world.database.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.tool, 'webhook_reviews'), eq(auditLog.outcome, 'unauthenticated')))
      ).filter((r) => r.args.tenant === 'audit-probe');
      expect(records).to.have.length(1);
      expect(records[0]).to.include({ via: 'system', target: 'google', userId: null });
      expect(records[0]?.args).to.deep.equal({ source: 'google', tenant: 'audit-probe' });
    });
  });
});

describe('Review webhook → task automation', () => {
  it('starts the tasks waiting for reviews.negative_received when a negative review is delivered', async () => {
    const script = scriptedModel([
      { tools: [{ name: 'reviews_list', args: { maxRating: 2, unanswered: true } }] },
      { text: 'One unanswered negative review; I suggest calling Gus.' },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      const nina = await world.as('nina@northwind.test');
      const { task } = (await world.platform.gateway.callTool(nina, 'agents_create_task', {
        name: 'Bad review alert',
        instruction: 'Look at the new negative review and suggest what to do.',
        agent: 'reviews',
        event: 'reviews.negative_received',
      })) as { task: { id: string } };
      const { secret } = (await world.platform.gateway.callTool(nina, 'reviews_webhook_secret', {
        source: 'google',
      })) as { secret: string };
      const raw = JSON.stringify(googleReview());
      const timestamp = String(now());
      const res = await httpClient(world.url).request('POST', '/api/webhooks/reviews/google', raw, {
        'content-type': 'application/json',
        'x-bizosaas-tenant': 'northwind',
        'x-bizosaas-timestamp': timestamp,
        'x-bizosaas-signature': reviewWebhook.signWebhook(secret, timestamp, raw),
      });
      expect(res.status).to.equal(200);
      expect(await world.platform.automation.tick()).to.include({ ran: 1 });
      const runs = (await world.platform.gateway.callTool(nina, 'agents_task_runs', { task: task.id })) as {
        items: { status: string; trigger: string; reply: string }[];
      };
      expect(runs.items).to.have.length(1);
      expect(runs.items[0]).to.include({
        status: 'succeeded',
        trigger: 'event',
        reply: 'One unanswered negative review; I suggest calling Gus.',
      });
      const prompt = JSON.stringify(script.calls[0]?.prompt);
      expect(prompt).to.contain('reviews.negative_received').and.contain(res.json.review.id);
    } finally {
      await world.close();
    }
  });
});
