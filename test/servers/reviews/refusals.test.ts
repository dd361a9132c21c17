import { expect } from 'chai';
import { refusalOf } from '../../support/refusal.ts';
import { startWorld, type World } from '../../support/world.ts';
import { caller, fieldsOf, footprint, type IngestResult } from './fixtures.ts';

const UNKNOWN_REVIEW = 'rev_01JA0000000000000000000000';

/** One valid call of every reviews tool (the ids are filled in once the fixture exists). */
function validCalls(review: string): [string, Record<string, unknown>][] {
  return [
    ['reviews_ingest', { source: 'google', externalId: 'r-2', reviewer: 'Kim', rating: 4 }],
    ['reviews_list', { maxRating: 2, unanswered: true }],
    ['reviews_get', { review }],
    ['reviews_set_sentiment', { review, label: 'neutral' }],
    ['reviews_draft_reply', { review, text: 'Thanks!' }],
    ['reviews_approve_reply', { review }],
    ['reviews_publish_reply', { review }],
    ['reviews_list_templates', {}],
    ['reviews_save_template', { name: 'thanks', body: 'Thank you, {reviewer}!' }],
    ['reviews_delete_template', { template: 'thanks' }],
    ['reviews_dashboard', {}],
    ['reviews_request_campaign', { campaign: 'spring', query: 'dana' }],
    ['reviews_webhook_secret', { source: 'google' }],
  ];
}

/** Bad input for every tool, and the field the refusal must name. */
const BAD_INPUT: [string, Record<string, unknown>, string][] = [
  ['reviews_ingest', { source: 'tripadvisor', externalId: 'x', reviewer: 'X', rating: 4 }, 'source'],
  ['reviews_ingest', { source: 'google', externalId: 'x', reviewer: 'X', rating: 6 }, 'rating'],
  ['reviews_ingest', { source: 'google', externalId: 'x', reviewer: 'X', rating: 4, stars: 4 }, 'stars'],
  ['reviews_list', { maxRating: 6 }, 'maxRating'],
  ['reviews_list', { unanswered: 'yes' }, 'unanswered'],
  ['reviews_list', { from: 'last week' }, 'from'],
  ['reviews_get', { review: 'review-1' }, 'review'],
  ['reviews_set_sentiment', { review: UNKNOWN_REVIEW, label: 'angry' }, 'label'],
  ['reviews_draft_reply', { review: 'x', text: 'Hi' }, 'review'],
  ['reviews_draft_reply', { review: UNKNOWN_REVIEW, text: 'x'.repeat(4001) }, 'text'],
  ['reviews_approve_reply', {}, 'review'],
  ['reviews_publish_reply', { review: 5 }, 'review'],
  ['reviews_list_templates', { rating: 0 }, 'rating'],
  ['reviews_save_template', { name: '', body: 'Hi' }, 'name'],
  ['reviews_delete_template', {}, 'template'],
  ['reviews_dashboard', { to: '2026-13-45' }, 'to'],
  ['reviews_request_campaign', { query: 'dana' }, 'campaign'],
  ['reviews_request_campaign', { campaign: 'x', source: 'myspace' }, 'source'],
  ['reviews_webhook_secret', { source: 'myspace' }, 'source'],
];

describe('Reviews: every tool refused the same way (feature off, other tenant, bad input)', () => {
  let world: World;
  let call: ReturnType<typeof caller>;
  let ninaReview: string;
  let acmeReview: string;

  before(async () => {
    world = await startWorld();
    call = caller(world);
    ninaReview = (
      await call<IngestResult>('nina@northwind.test', 'reviews_ingest', {
        source: 'google',
        externalId: 'r-1',
        reviewer: 'Lee',
        rating: 2,
        comment: 'Cold coffee.',
      })
    ).review.id;
    acmeReview = (
      await call<IngestResult>('carol@acme.test', 'reviews_ingest', {
        source: 'google',
        externalId: 'a-1',
        reviewer: 'Pat',
        rating: 1,
        comment: 'Never came.',
      })
    ).review.id;
  });
  after(() => world.close());

  it('lists no reviews tool to someone whose reviews feature is off', async () => {
    const bob = world.platform.gateway.listTools(await world.as('bob@northwind.test'));
    expect(bob.filter((t) => t.name.startsWith('reviews_'))).to.deep.equal([]);
    const nina = world.platform.gateway.listTools(await world.as('nina@northwind.test'));
    expect(nina.filter((t) => t.name.startsWith('reviews_')).map((t) => t.name)).to.have.members(
      validCalls(ninaReview).map(([name]) => name),
    );
  });

  it('refuses every reviews tool to bob (reviews off) as forbidden, writing nothing', async () => {
    const before = await footprint(world);
    for (const [tool, args] of validCalls(ninaReview)) {
      const error = await refusalOf(call('bob@northwind.test', tool, args));
      expect(error.code, tool).to.equal('forbidden');
      expect(error.details, tool).to.deep.include({ feature: 'reviews' });
    }
    expect(await footprint(world)).to.deep.equal(before);
  });

  it('reports another organisation’s review as not found to every tool that takes one, writing nothing', async () => {
    const before = await footprint(world);
    for (const [tool, args] of validCalls(acmeReview).filter(([, a]) => 'review' in a)) {
      const error = await refusalOf(call('nina@northwind.test', tool, args));
      expect(error.code, tool).to.equal('not_found');
      expect(error.details, tool).to.deep.equal({ field: 'review' });
    }
    expect(await footprint(world)).to.deep.equal(before);
  });

  it('refuses bad input as bad_request naming the field, writing nothing', async () => {
    const before = await footprint(world);
    for (const [tool, args, field] of BAD_INPUT) {
      const error = await refusalOf(call('nina@northwind.test', tool, args));
      const label = `${tool} ${JSON.stringify(args).slice(0, 80)}`;
      expect(error.code, label).to.equal('bad_request');
      const fields = fieldsOf(error);
      expect(fields, label).to.include(field);
    }
    expect(await footprint(world)).to.deep.equal(before);
  });

  it('refuses the webhook secret (a credential) while a super admin views as the user', async () => {
    const root = await world.as('root@bizosaas.test');
    const viewing = await world.as('nina@northwind.test', {
      via: 'impersonation',
      impersonator: { id: root.userId, email: root.email },
    });
    const before = await footprint(world);
    const error = await refusalOf(
      world.platform.gateway.callTool(viewing, 'reviews_webhook_secret', { source: 'google' }),
    );
    expect(error.code).to.equal('forbidden');
    expect(await footprint(world)).to.deep.equal(before);
    // Reading reviews while viewing as someone is what "View As" is for.
    const page = await world.platform.gateway.callTool(viewing, 'reviews_list', {});
    expect(page.total).to.equal(1);
  });
});
