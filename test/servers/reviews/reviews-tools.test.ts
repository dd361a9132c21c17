import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../../core/audit/schema.ts';
import { withTenantScope } from '../../../core/db/tenant-scope.ts';
import { reviews } from '../../../servers/reviews/schema.ts';
import { refusalOf } from '../../support/refusal.ts';
import { startWorld, type World } from '../../support/world.ts';
import { caller, eventsNamed, fieldsOf, footprint, type IngestResult, type ReviewItem } from './fixtures.ts';

interface ReviewPage {
  items: ReviewItem[];
  page: number;
  pageSize: number;
  total: number;
}

describe('Reviews: ingest, list, get, sentiment', () => {
  let world: World;
  let call: ReturnType<typeof caller>;
  let ids: Record<string, string>;
  const ingest = (email: string, args: Record<string, unknown>) =>
    call<IngestResult>(email, 'reviews_ingest', args);
  const list = (email: string, args: Record<string, unknown> = {}) =>
    call<ReviewPage>(email, 'reviews_list', args);

  before(async () => {
    world = await startWorld();
    call = caller(world);
    ids = {};
    for (const slug of ['northwind', 'acme']) ids[slug] = await world.tenantId(slug);
  });
  after(() => world.close());

  describe('ingesting', () => {
    it('stores a review in the caller’s organisation with a lexicon sentiment and topics', async () => {
      const result = await ingest('nina@northwind.test', {
        source: 'google',
        externalId: 'g-100',
        location: 'high-street',
        reviewer: 'Dana Lee',
        rating: 5,
        comment: 'Absolutely delicious croissants and very friendly staff!',
        createTime: '2026-03-02T09:00:00Z',
      });
      expect(result).to.include({ created: true, stale: false, negative: false });
      expect(result.review).to.deep.include({
        tenantId: ids.northwind,
        source: 'google',
        externalId: 'g-100',
        location: 'high-street',
        reviewer: { name: 'Dana Lee', email: null },
        rating: 5,
        createTime: '2026-03-02T09:00:00.000Z',
        updateTime: '2026-03-02T09:00:00.000Z',
        topics: ['staff', 'food'],
      });
      expect(result.review.id).to.match(/^rev_[0-9A-Z]{26}$/);
      expect(result.review.sentiment.label).to.equal('positive');
      expect(result.review.sentiment.by).to.equal('lexicon');
      expect(result.review.reply).to.deep.equal({ state: 'none', text: null, updatedAt: null, by: null });
    });

    it('updates the stored review when the source sends the same review again, never duplicating it', async () => {
      const first = await ingest('nina@northwind.test', {
        source: 'yelp',
        externalId: 'y-1',
        reviewer: 'Sam',
        rating: 4,
        comment: 'Good bread.',
        createTime: '2026-03-03T10:00:00Z',
      });
      const again = await ingest('nina@northwind.test', {
        source: 'yelp',
        externalId: 'y-1',
        reviewer: 'Sam P.',
        rating: 2,
        comment: 'The bread was stale this time.',
        createTime: '2026-03-03T10:00:00Z',
        updateTime: '2026-03-05T10:00:00Z',
      });
      expect(again.created).to.equal(false);
      expect(again.review.id).to.equal(first.review.id);
      expect(again.review).to.deep.include({ rating: 2, comment: 'The bread was stale this time.' });
      expect(again.review.reviewer.name).to.equal('Sam P.');
      expect(again.review.sentiment.label).to.equal('negative');
      const rows = await world.database.db
        .select()
        .from(reviews)
        .where(and(eq(reviews.source, 'yelp'), eq(reviews.externalId, 'y-1')));
      expect(rows).to.have.length(1);
    });

    it('keeps the stored review when an older version of it arrives late', async () => {
      const older = await ingest('nina@northwind.test', {
        source: 'yelp',
        externalId: 'y-1',
        reviewer: 'Sam',
        rating: 4,
        comment: 'Good bread.',
        createTime: '2026-03-03T10:00:00Z',
        updateTime: '2026-03-04T10:00:00Z',
      });
      expect(older).to.include({ created: false, stale: true });
      expect(older.review.rating).to.equal(2);
    });

    it('keeps one external id apart per source and per organisation', async () => {
      await ingest('nina@northwind.test', {
        source: 'facebook',
        externalId: 'g-100',
        reviewer: 'Someone',
        rating: 3,
      });
      const acme = await ingest('carol@acme.test', {
        source: 'google',
        externalId: 'g-100',
        reviewer: 'Pat',
        rating: 5,
        comment: 'Fixed our leak fast, great plumber.',
      });
      expect(acme.created).to.equal(true);
      expect(acme.review.tenantId).to.equal(ids.acme);
      const rows = await world.database.db.select().from(reviews).where(eq(reviews.externalId, 'g-100'));
      expect(
        rows.map((r) => `${r.tenantId === ids.acme ? 'acme' : 'northwind'}/${r.source}`).sort(),
      ).to.deep.equal(['acme/google', 'northwind/facebook', 'northwind/google']);
    });

    it('gives a manual review an id of its own when none is given', async () => {
      const manual = await ingest('nina@northwind.test', {
        source: 'manual',
        reviewer: 'Walk-in customer',
        rating: 4,
        comment: 'Lovely cake.',
      });
      expect(manual.created).to.equal(true);
      expect(manual.review.externalId).to.match(/^manual-[0-9A-Z]{26}$/);
      expect(manual.review.location).to.equal('main');
    });

    it('counts a reply already posted at the source as published', async () => {
      const replied = await ingest('nina@northwind.test', {
        source: 'google',
        externalId: 'g-101',
        reviewer: 'Lee',
        rating: 4,
        comment: 'Nice coffee.',
        createTime: '2026-03-04T08:00:00Z',
        reply: { comment: 'Thank you, Lee!', updateTime: '2026-03-04T12:00:00Z' },
      });
      expect(replied.review.reply).to.deep.equal({
        state: 'published',
        text: 'Thank you, Lee!',
        updatedAt: '2026-03-04T12:00:00.000Z',
        by: 'source:google',
      });
    });

    it('refuses a review without the source’s id, naming externalId, and writes nothing', async () => {
      const before = await footprint(world);
      const error = await refusalOf(
        ingest('nina@northwind.test', { source: 'google', reviewer: 'X', rating: 3 }),
      );
      expect(error.code).to.equal('bad_request');
      expect(error.details?.fields).to.deep.equal([
        { field: 'externalId', message: 'required for google reviews (the source’s review id)' },
      ]);
      expect(await footprint(world)).to.deep.equal(before);
    });

    it('refuses a review written in the future, naming createTime', async () => {
      const error = await refusalOf(
        ingest('nina@northwind.test', {
          source: 'google',
          externalId: 'future',
          reviewer: 'X',
          rating: 3,
          createTime: new Date(Date.now() + 86_400_000).toISOString(),
        }),
      );
      expect(error.code).to.equal('bad_request');
      expect(error.message).to.contain('createTime');
    });

    it('refuses an update time before the creation time, naming updateTime, and writes nothing', async () => {
      const before = await footprint(world);
      const error = await refusalOf(
        ingest('nina@northwind.test', {
          source: 'google',
          externalId: 'backwards',
          reviewer: 'X',
          rating: 3,
          createTime: '2026-03-04T08:00:00Z',
          updateTime: '2026-03-01T08:00:00Z',
        }),
      );
      expect(error.code).to.equal('bad_request');
      expect(fieldsOf(error)[0]).to.equal('updateTime');
      expect(await footprint(world)).to.deep.equal(before);
    });

    it('is refused to a sub-admin whose own organisation lies outside their scope', async () => {
      const error = await refusalOf(
        ingest('support@bizosaas.test', { source: 'google', externalId: 'sa-1', reviewer: 'X', rating: 3 }),
      );
      expect(error.code).to.equal('forbidden');
    });

    it('records the write in the audit log with the review as its target', async () => {
      const result = await ingest('nina@northwind.test', {
        source: 'trustpilot',
        externalId: 't-1',
        reviewer: 'Jo',
        rating: 5,
      });
      const records = await world.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tool, 'reviews_ingest'), eq(auditLog.target, result.review.id)));
      expect(records).to.have.length(1);
      expect(records[0]).to.include({
        outcome: 'ok',
        via: 'session',
        tenantId: ids.northwind,
        userEmail: 'nina@northwind.test',
      });
    });
  });

  describe('alerts', () => {
    it('emits reviews.negative_received once for a negative review, with what automation needs', async () => {
      const result = await ingest('nina@northwind.test', {
        source: 'google',
        externalId: 'neg-1',
        location: 'high-street',
        reviewer: 'Grumpy Gus',
        rating: 1,
        comment: 'Rude staff and we waited forever. Never again.',
        createTime: '2026-03-06T10:00:00Z',
      });
      expect(result.negative).to.equal(true);
      await ingest('nina@northwind.test', {
        source: 'google',
        externalId: 'neg-1',
        location: 'high-street',
        reviewer: 'Grumpy Gus',
        rating: 1,
        comment: 'Rude staff and we waited forever. Never again!',
        createTime: '2026-03-06T10:00:00Z',
        updateTime: '2026-03-06T11:00:00Z',
      });
      const events = (await eventsNamed(world, 'reviews.negative_received')).filter(
        (e) => e.payload.reviewId === result.review.id,
      );
      expect(events).to.have.length(1);
      expect(events[0]).to.include({
        tenantId: ids.northwind,
        actorId: await world.userId('nina@northwind.test'),
      });
      expect(events[0]?.payload).to.deep.equal({
        reviewId: result.review.id,
        source: 'google',
        location: 'high-street',
        rating: 1,
        reviewer: 'Grumpy Gus',
        comment: 'Rude staff and we waited forever. Never again.',
      });
    });

    it('emits it when an update makes a review negative, and not for a positive one', async () => {
      const happy = await ingest('nina@northwind.test', {
        source: 'facebook',
        externalId: 'fb-9',
        reviewer: 'Ann',
        rating: 5,
        comment: 'Great!',
      });
      const negativeFor = async (id: string) =>
        (await eventsNamed(world, 'reviews.negative_received')).filter((e) => e.payload.reviewId === id);
      expect(await negativeFor(happy.review.id)).to.have.length(0);
      const received = (await eventsNamed(world, 'reviews.review_received')).filter(
        (e) => e.payload.reviewId === happy.review.id,
      );
      expect(received).to.have.length(1);
      await ingest('nina@northwind.test', {
        source: 'facebook',
        externalId: 'fb-9',
        reviewer: 'Ann',
        rating: 2,
        comment: 'Changed my mind, it was bad.',
      });
      expect(await negativeFor(happy.review.id)).to.have.length(1);
    });
  });

  describe('listing and reading', () => {
    it('lists unanswered reviews of 2 stars or less exactly as {maxRating: 2, unanswered: true}', async () => {
      const page = await list('nina@northwind.test', { maxRating: 2, unanswered: true });
      expect(page.items.length).to.be.greaterThan(0);
      expect(page.items.every((r) => r.rating <= 2 && r.reply.state !== 'published')).to.equal(true);
      expect(page.items.every((r) => r.tenantId === ids.northwind)).to.equal(true);
      const all = await list('nina@northwind.test', { pageSize: 100 });
      const expected = all.items
        .filter((r) => r.rating <= 2 && r.reply.state !== 'published')
        .map((r) => r.id);
      expect(page.items.map((r) => r.id)).to.deep.equal(expected);
      expect(page.total).to.equal(expected.length);
    });

    it('lists newest first by when the review was written', async () => {
      const page = await list('nina@northwind.test', { pageSize: 100 });
      const times = page.items.map((r) => Date.parse(r.createTime));
      expect(times).to.deep.equal([...times].sort((a, b) => b - a));
    });

    it('filters by stars, source, location, dates, answered, sentiment, topic and text', async () => {
      const nina = 'nina@northwind.test';
      const idsOf = (p: ReviewPage) => p.items.map((r) => r.externalId).sort();
      expect(idsOf(await list(nina, { rating: 5, source: 'google' }))).to.deep.equal(['g-100']);
      expect(idsOf(await list(nina, { minRating: 4, source: 'google' }))).to.deep.equal(['g-100', 'g-101']);
      expect(idsOf(await list(nina, { location: 'high-street' }))).to.deep.equal(['g-100', 'neg-1']);
      expect(idsOf(await list(nina, { from: '2026-03-03', to: '2026-03-04' }))).to.deep.equal([
        'g-101',
        'y-1',
      ]);
      expect(idsOf(await list(nina, { unanswered: false }))).to.deep.equal(['g-101']);
      expect(idsOf(await list(nina, { sentiment: 'negative', source: 'google' }))).to.deep.equal(['neg-1']);
      expect(idsOf(await list(nina, { topic: 'wait time' }))).to.deep.equal(['neg-1']);
      expect(idsOf(await list(nina, { query: 'CROISSANT' }))).to.deep.equal(['g-100']);
      expect(idsOf(await list(nina, { query: 'gus' }))).to.deep.equal(['neg-1']);
    });

    it('pages with a total', async () => {
      const all = await list('nina@northwind.test', { pageSize: 100 });
      const second = await list('nina@northwind.test', { page: 2, pageSize: 2 });
      expect(second).to.include({ page: 2, pageSize: 2, total: all.total });
      expect(second.items.map((r) => r.id)).to.deep.equal(all.items.slice(2, 4).map((r) => r.id));
    });

    it('shows a partner its client organisations’ reviews, and a client only its own', async () => {
      const paula = await list('paula@brightpath.test', { pageSize: 100 });
      expect(new Set(paula.items.map((r) => r.tenantId))).to.deep.equal(new Set([ids.northwind, ids.acme]));
      const carol = await list('carol@acme.test', { pageSize: 100 });
      expect(carol.items.map((r) => r.tenantId)).to.deep.equal([ids.acme]);
    });

    it('refuses minRating above maxRating, naming minRating', async () => {
      const error = await refusalOf(list('nina@northwind.test', { minRating: 4, maxRating: 2 }));
      expect(error.code).to.equal('bad_request');
      expect(error.details?.fields).to.deep.equal([
        { field: 'minRating', message: 'must be at most maxRating (2)' },
      ]);
    });

    it('gets one review, and reports another organisation’s review as not found', async () => {
      const { items } = await list('carol@acme.test');
      const acmeReview = items[0] as ReviewItem;
      const got = await call<{ review: ReviewItem }>('carol@acme.test', 'reviews_get', {
        review: acmeReview.id,
      });
      expect(got.review).to.deep.equal(acmeReview);
      const error = await refusalOf(call('nina@northwind.test', 'reviews_get', { review: acmeReview.id }));
      expect(error.code).to.equal('not_found');
      expect(error.details).to.deep.equal({ field: 'review' });
    });
  });

  describe('a model’s reading of the sentiment', () => {
    it('overrides the lexicon until the text changes, and alerts when it turns a review negative', async () => {
      const nina = 'nina@northwind.test';
      const sarcastic = await ingest(nina, {
        source: 'google',
        externalId: 'sarcasm',
        reviewer: 'Wry',
        rating: 3,
        comment: 'Great, just great, another hour in the queue.',
      });
      expect(sarcastic.review.sentiment.label).to.equal('positive');
      const set = await call<{ review: ReviewItem }>(nina, 'reviews_set_sentiment', {
        review: sarcastic.review.id,
        label: 'negative',
        score: -0.7,
        topics: ['wait time', 'wait time'],
      });
      expect(set.review.sentiment).to.deep.equal({ score: -0.7, label: 'negative', by: 'model' });
      expect(set.review.topics).to.deep.equal(['wait time']);
      const alerts = (await eventsNamed(world, 'reviews.negative_received')).filter(
        (e) => e.payload.reviewId === sarcastic.review.id,
      );
      expect(alerts).to.have.length(1);

      const sameText = await ingest(nina, {
        source: 'google',
        externalId: 'sarcasm',
        reviewer: 'Wry',
        rating: 3,
        comment: 'Great, just great, another hour in the queue.',
      });
      expect(sameText.review.sentiment.by).to.equal('model');
      const newText = await ingest(nina, {
        source: 'google',
        externalId: 'sarcasm',
        reviewer: 'Wry',
        rating: 3,
        comment: 'Nice staff.',
      });
      expect(newText.review.sentiment).to.deep.include({ label: 'positive', by: 'lexicon' });
    });

    it('refuses a score that contradicts the label, naming score, and changes nothing', async () => {
      const { items } = await list('nina@northwind.test', { source: 'trustpilot' });
      const before = await footprint(world);
      const error = await refusalOf(
        call('nina@northwind.test', 'reviews_set_sentiment', {
          review: items[0]?.id,
          label: 'positive',
          score: -0.4,
        }),
      );
      expect(error.code).to.equal('bad_request');
      expect(fieldsOf(error)[0]).to.equal('score');
      expect(await footprint(world)).to.deep.equal(before);
      const after = await call<{ review: ReviewItem }>('nina@northwind.test', 'reviews_get', {
        review: items[0]?.id,
      });
      expect(after.review.sentiment.by).to.equal('lexicon');
    });
  });

  describe('row-level security, with the filter left out', () => {
    it('shows only the scope’s reviews to a query with no where clause', async () => {
      const nina = await world.as('nina@northwind.test');
      const carol = await world.as('carol@acme.test');
      const seenByNina = await withTenantScope(world.database.db, nina, (tx) => tx.select().from(reviews));
      const seenByCarol = await withTenantScope(world.database.db, carol, (tx) => tx.select().from(reviews));
      expect(seenByNina.length).to.be.greaterThan(0);
      expect(seenByCarol.length).to.be.greaterThan(0);
      expect(seenByNina.every((r) => r.tenantId === ids.northwind)).to.equal(true);
      expect(seenByCarol.every((r) => r.tenantId === ids.acme)).to.equal(true);
    });

    it('updates and deletes nothing of another tenant even when the statement names its rows', async () => {
      const nina = await world.as('nina@northwind.test');
      const acmeIds = (
        await world.database.db
          .select()
          .from(reviews)
          .where(eq(reviews.tenantId, ids.acme as string))
      ).map((r) => r.id);
      const changed = await withTenantScope(world.database.db, nina, async (tx) => ({
        updated: await tx
          .update(reviews)
          .set({ replyText: 'hijacked' })
          .where(eq(reviews.tenantId, ids.acme as string))
          .returning({ id: reviews.id }),
        deleted: await tx
          .delete(reviews)
          .where(eq(reviews.tenantId, ids.acme as string))
          .returning({ id: reviews.id }),
      }));
      expect(changed).to.deep.equal({ updated: [], deleted: [] });
      const still = await world.database.db
        .select()
        .from(reviews)
        .where(eq(reviews.tenantId, ids.acme as string));
      expect(still.map((r) => r.id)).to.have.members(acmeIds);
      expect(still.every((r) => r.replyText !== 'hijacked')).to.equal(true);
    });
  });
});
