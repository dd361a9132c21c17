import { expect } from 'chai';
import { refusalOf } from '../../support/refusal.ts';
import { startWorld, type World } from '../../support/world.ts';
import { caller, eventsNamed, fieldsOf, footprint, type IngestResult, type ReviewItem } from './fixtures.ts';

interface Template {
  id: string;
  name: string;
  body: string;
  minRating: number;
  maxRating: number;
}

describe('Reviews: replies and the template library', () => {
  let world: World;
  let call: ReturnType<typeof caller>;
  let gus: ReviewItem;
  let dana: ReviewItem;
  let acmeReview: ReviewItem;
  const nina = 'nina@northwind.test';

  before(async () => {
    world = await startWorld();
    call = caller(world);
    const ingest = async (email: string, args: Record<string, unknown>) =>
      (await call<IngestResult>(email, 'reviews_ingest', args)).review;
    gus = await ingest(nina, {
      source: 'google',
      externalId: 'g-1',
      reviewer: 'Gus Grumble',
      rating: 2,
      comment: 'Slow service.',
      createTime: '2026-04-01T10:00:00Z',
    });
    dana = await ingest(nina, {
      source: 'google',
      externalId: 'g-2',
      reviewer: 'Dana Lee',
      rating: 5,
      comment: 'Lovely bakery.',
      createTime: '2026-04-02T10:00:00Z',
    });
    acmeReview = await ingest('carol@acme.test', {
      source: 'yelp',
      externalId: 'y-1',
      reviewer: 'Pat',
      rating: 1,
      comment: 'Late.',
    });
  });
  after(() => world.close());

  describe('templates', () => {
    it('saves a template, replaces it by name, and lists it (also by the stars it fits)', async () => {
      const first = await call<{ template: Template }>(nina, 'reviews_save_template', {
        name: 'thanks',
        body: 'Thank you, {reviewer}!',
        minRating: 4,
      });
      expect(first.template).to.include({ name: 'thanks', minRating: 4, maxRating: 5 });
      expect(first.template.id).to.match(/^tpl_[0-9A-Z]{26}$/);
      const replaced = await call<{ template: Template }>(nina, 'reviews_save_template', {
        name: 'thanks',
        body: 'Thank you for the {rating} stars, {reviewer}! — {business}',
        minRating: 4,
        maxRating: 5,
      });
      expect(replaced.template.id).to.equal(first.template.id);
      await call(nina, 'reviews_save_template', {
        name: 'sorry',
        body: 'Sorry, {reviewer}. Please call us so we can put it right.',
        maxRating: 2,
      });
      const all = await call<{ templates: Template[] }>(nina, 'reviews_list_templates');
      expect(all.templates.map((t) => t.name)).to.deep.equal(['sorry', 'thanks']);
      const forTwo = await call<{ templates: Template[] }>(nina, 'reviews_list_templates', { rating: 2 });
      expect(forTwo.templates.map((t) => t.name)).to.deep.equal(['sorry']);
      const carols = await call<{ templates: Template[] }>('carol@acme.test', 'reviews_list_templates');
      expect(carols.templates).to.deep.equal([]);
    });

    it('refuses an unknown placeholder and an upside-down star range, naming the field, and saves nothing', async () => {
      const before = await footprint(world);
      const placeholder = await refusalOf(
        call(nina, 'reviews_save_template', { name: 'bad', body: 'Hi {name}' }),
      );
      expect(placeholder.code).to.equal('bad_request');
      expect(fieldsOf(placeholder)[0]).to.equal('body');
      const range = await refusalOf(
        call(nina, 'reviews_save_template', { name: 'bad', body: 'Hi', minRating: 5, maxRating: 1 }),
      );
      expect(fieldsOf(range)[0]).to.equal('minRating');
      expect(await footprint(world)).to.deep.equal(before);
    });

    it('deletes a template by name, and reports an unknown one as not found', async () => {
      await call(nina, 'reviews_save_template', { name: 'temporary', body: 'Bye' });
      const deleted = await call<{ deleted: Template }>(nina, 'reviews_delete_template', {
        template: 'temporary',
      });
      expect(deleted.deleted.name).to.equal('temporary');
      const again = await refusalOf(call(nina, 'reviews_delete_template', { template: 'temporary' }));
      expect(again.code).to.equal('not_found');
      expect(again.details).to.deep.equal({ field: 'template' });
    });

    it('does not let one organisation delete another’s template', async () => {
      const carols = await call<{ template: Template }>('carol@acme.test', 'reviews_save_template', {
        name: 'acme-thanks',
        body: 'Thanks!',
      });
      const error = await refusalOf(call(nina, 'reviews_delete_template', { template: carols.template.id }));
      expect(error.code).to.equal('not_found');
      const still = await call<{ templates: Template[] }>('carol@acme.test', 'reviews_list_templates');
      expect(still.templates.map((t) => t.id)).to.deep.equal([carols.template.id]);
    });
  });

  describe('draft → approve → publish', () => {
    it('drafts from a template with the reviewer’s first name, the stars and the business name', async () => {
      const { review } = await call<{ review: ReviewItem }>(nina, 'reviews_draft_reply', {
        review: dana.id,
        template: 'thanks',
      });
      expect(review.reply).to.deep.include({
        state: 'draft',
        text: 'Thank you for the 5 stars, Dana! — Northwind Bakery',
        by: await world.userId(nina),
      });
    });

    it('refuses a template meant for other star ratings', async () => {
      const error = await refusalOf(
        call(nina, 'reviews_draft_reply', { review: gus.id, template: 'thanks' }),
      );
      expect(error.code).to.equal('conflict');
      expect(error.details).to.deep.equal({ field: 'template' });
    });

    it('refuses a draft with neither or both of text and template, naming text', async () => {
      for (const args of [{ review: gus.id }, { review: gus.id, text: 'Hi', template: 'sorry' }]) {
        const error = await refusalOf(call(nina, 'reviews_draft_reply', args));
        expect(error.code).to.equal('bad_request');
        expect(fieldsOf(error)[0]).to.equal('text');
      }
    });

    it('will not publish a draft or approve nothing: each step needs the one before', async () => {
      const noDraft = await refusalOf(call(nina, 'reviews_approve_reply', { review: gus.id }));
      expect(noDraft.code).to.equal('conflict');
      await call(nina, 'reviews_draft_reply', {
        review: gus.id,
        text: 'Sorry, Gus — we were short-staffed.',
      });
      const notApproved = await refusalOf(call(nina, 'reviews_publish_reply', { review: gus.id }));
      expect(notApproved.code).to.equal('conflict');
      expect(notApproved.message).to.contain('approved first');
    });

    it('approves, then publishes once, emitting reviews.reply_published for the source', async () => {
      const approved = await call<{ review: ReviewItem; alreadyApproved: boolean }>(
        nina,
        'reviews_approve_reply',
        {
          review: gus.id,
        },
      );
      expect(approved.review.reply.state).to.equal('approved');
      expect(approved.alreadyApproved).to.equal(false);
      const published = await call<{ review: ReviewItem; alreadyPublished: boolean }>(
        nina,
        'reviews_publish_reply',
        { review: gus.id },
      );
      expect(published.review.reply).to.deep.include({
        state: 'published',
        text: 'Sorry, Gus — we were short-staffed.',
      });
      const again = await call<{ alreadyPublished: boolean }>(nina, 'reviews_publish_reply', {
        review: gus.id,
      });
      expect(again.alreadyPublished).to.equal(true);
      const events = (await eventsNamed(world, 'reviews.reply_published')).filter(
        (e) => e.payload.reviewId === gus.id,
      );
      expect(events).to.have.length(1);
      expect(events[0]?.payload).to.deep.include({
        source: 'google',
        externalId: 'g-1',
        reply: 'Sorry, Gus — we were short-staffed.',
      });
      const answered = await call<{ items: ReviewItem[] }>(nina, 'reviews_list', { unanswered: false });
      expect(answered.items.map((r) => r.id)).to.deep.equal([gus.id]);
    });

    it('does not redraft a published reply', async () => {
      const error = await refusalOf(call(nina, 'reviews_draft_reply', { review: gus.id, text: 'Changed' }));
      expect(error.code).to.equal('conflict');
    });

    it('marks publishing destructive, so an agent needs the person’s approval, and drafting not', async () => {
      const tools = world.platform.gateway.listTools(await world.as(nina));
      const annotations = (name: string) => tools.find((t) => t.name === name)?.annotations;
      expect(annotations('reviews_publish_reply')).to.include({ destructiveHint: true, readOnlyHint: false });
      expect(annotations('reviews_draft_reply')).to.include({ destructiveHint: false });
      expect(annotations('reviews_approve_reply')).to.include({ destructiveHint: false });
    });

    it('lets a partner draft for a client’s review, naming the business for {business}', async () => {
      await call('paula@brightpath.test', 'reviews_save_template', {
        name: 'agency-sorry',
        body: 'We are sorry, {reviewer}. {business}',
        maxRating: 2,
      });
      const missing = await refusalOf(
        call('paula@brightpath.test', 'reviews_draft_reply', {
          review: acmeReview.id,
          template: 'agency-sorry',
        }),
      );
      expect(missing.code).to.equal('bad_request');
      expect(fieldsOf(missing)[0]).to.equal('business');
      const { review } = await call<{ review: ReviewItem }>('paula@brightpath.test', 'reviews_draft_reply', {
        review: acmeReview.id,
        template: 'agency-sorry',
        business: 'Acme Plumbing',
      });
      expect(review.reply.text).to.equal('We are sorry, Pat. Acme Plumbing');
    });

    it('reports another organisation’s review as not found at every step, changing nothing', async () => {
      const before = await footprint(world);
      for (const [tool, args] of [
        ['reviews_draft_reply', { review: acmeReview.id, text: 'Hi' }],
        ['reviews_approve_reply', { review: acmeReview.id }],
        ['reviews_publish_reply', { review: acmeReview.id }],
      ] as const) {
        const error = await refusalOf(call(nina, tool, args));
        expect(error.code, tool).to.equal('not_found');
        expect(error.details, tool).to.deep.equal({ field: 'review' });
      }
      expect(await footprint(world)).to.deep.equal(before);
      const { review } = await call<{ review: ReviewItem }>('carol@acme.test', 'reviews_get', {
        review: acmeReview.id,
      });
      expect(review.reply.state).to.equal('draft');
    });
  });
});
