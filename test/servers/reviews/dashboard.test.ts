import { expect } from 'chai';
import { refusalOf } from '../../support/refusal.ts';
import { startWorld, type World } from '../../support/world.ts';
import { caller, fieldsOf } from './fixtures.ts';

interface Dashboard {
  interval: string;
  timezone: string;
  count: number;
  averageRating: number | null;
  distribution: Record<string, number>;
  answered: number;
  responseRate: number | null;
  medianResponseHours: number | null;
  series: { period: string; source: string; location: string; count: number; averageRating: number }[];
  unansweredNegative: { count: number; items: { id: string; rating: number; reviewer: string }[] };
}

/**
 * Acme's reviews, with the figures worked out by hand below. Replies were posted at the source, so
 * their times are known: #1 after 2 h, #2 after 24 h, #5 after 6 h.
 */
const FIXTURE = [
  {
    n: 1,
    source: 'google',
    location: 'downtown',
    rating: 5,
    at: '2026-01-05T10:00:00Z',
    text: 'Great!',
    reply: '2026-01-05T12:00:00Z',
  },
  {
    n: 2,
    source: 'google',
    location: 'downtown',
    rating: 4,
    at: '2026-01-20T10:00:00Z',
    text: 'Good.',
    reply: '2026-01-21T10:00:00Z',
  },
  // Saturday night in UTC, already Sunday 1 February in Tokyo.
  { n: 3, source: 'yelp', location: 'downtown', rating: 1, at: '2026-01-31T23:30:00Z', text: 'Terrible.' },
  { n: 4, source: 'google', location: 'uptown', rating: 2, at: '2026-02-10T09:00:00Z', text: 'Slow.' },
  {
    n: 5,
    source: 'google',
    location: 'downtown',
    rating: 3,
    at: '2026-02-15T09:00:00Z',
    text: 'Okay.',
    reply: '2026-02-15T15:00:00Z',
  },
  { n: 6, source: 'yelp', location: 'uptown', rating: 5, at: '2026-02-20T09:00:00Z', text: 'Lovely.' },
  // Four stars but a negative text: it counts as a negative review.
  {
    n: 7,
    source: 'google',
    location: 'downtown',
    rating: 4,
    at: '2026-03-02T09:00:00Z',
    text: 'The staff were rude.',
  },
] as const;

describe('Reviews: the reputation dashboard, against hand-computed figures', () => {
  let world: World;
  let call: ReturnType<typeof caller>;
  const ids = new Map<number, string>();
  const carol = 'carol@acme.test';
  const dashboard = (args: Record<string, unknown> = {}) => call<Dashboard>(carol, 'reviews_dashboard', args);

  before(async () => {
    world = await startWorld();
    call = caller(world);
    for (const r of FIXTURE) {
      const result = await call<{ review: { id: string } }>(carol, 'reviews_ingest', {
        source: r.source,
        externalId: `fx-${r.n}`,
        location: r.location,
        reviewer: `Reviewer ${r.n}`,
        rating: r.rating,
        comment: r.text,
        createTime: r.at,
        ...('reply' in r ? { reply: { comment: 'Thank you!', updateTime: r.reply } } : {}),
      });
      ids.set(r.n, result.review.id);
    }
    // Another organisation's review never counts.
    await call('nina@northwind.test', 'reviews_ingest', {
      source: 'google',
      externalId: 'elsewhere',
      reviewer: 'Other',
      rating: 1,
      createTime: '2026-01-10T10:00:00Z',
    });
  });
  after(() => world.close());

  it('totals, distribution, response rate, median response time and unanswered negatives', async () => {
    const d = await dashboard();
    expect(d).to.deep.include({
      interval: 'month',
      timezone: 'UTC',
      count: 7,
      averageRating: 3.43, // 24 / 7
      distribution: { 1: 1, 2: 1, 3: 1, 4: 2, 5: 2 },
      answered: 3,
      responseRate: 0.4286, // 3 / 7
      medianResponseHours: 6, // of 2, 6 and 24
    });
    expect(d.unansweredNegative.count).to.equal(3);
    expect(d.unansweredNegative.items.map((i) => i.id)).to.deep.equal([ids.get(7), ids.get(4), ids.get(3)]);
  });

  it('counts and averages per month, source and location', async () => {
    const d = await dashboard();
    expect(d.series).to.deep.equal([
      { period: '2026-01-01', source: 'google', location: 'downtown', count: 2, averageRating: 4.5 },
      { period: '2026-01-01', source: 'yelp', location: 'downtown', count: 1, averageRating: 1 },
      { period: '2026-02-01', source: 'google', location: 'downtown', count: 1, averageRating: 3 },
      { period: '2026-02-01', source: 'google', location: 'uptown', count: 1, averageRating: 2 },
      { period: '2026-02-01', source: 'yelp', location: 'uptown', count: 1, averageRating: 5 },
      { period: '2026-03-01', source: 'google', location: 'downtown', count: 1, averageRating: 4 },
    ]);
  });

  it('counts per week, weeks starting on Monday', async () => {
    const d = await dashboard({ interval: 'week', source: 'google', location: 'downtown' });
    expect(d.series.map((s) => [s.period, s.count, s.averageRating])).to.deep.equal([
      ['2026-01-05', 1, 5],
      ['2026-01-19', 1, 4],
      ['2026-02-09', 1, 3],
      ['2026-03-02', 1, 4],
    ]);
  });

  it('narrows every figure to a source, a location or a period', async () => {
    const google = await dashboard({ source: 'google' });
    expect(google).to.deep.include({
      count: 5,
      averageRating: 3.6, // 18 / 5
      answered: 3,
      responseRate: 0.6,
      medianResponseHours: 6,
    });
    expect(google.unansweredNegative.items.map((i) => i.id)).to.deep.equal([ids.get(7), ids.get(4)]);
    const uptown = await dashboard({ location: 'uptown' });
    expect(uptown).to.deep.include({
      count: 2,
      averageRating: 3.5,
      answered: 0,
      responseRate: 0,
      medianResponseHours: null,
    });
    const february = await dashboard({ from: '2026-02-01', to: '2026-02-28' });
    expect(february).to.deep.include({ count: 3, averageRating: 3.33 });
    expect(february.distribution).to.deep.equal({ 1: 0, 2: 1, 3: 1, 4: 0, 5: 1 });
  });

  it('reports an empty period as zero reviews with no averages', async () => {
    const d = await dashboard({ from: '2025-01-01', to: '2025-02-01' });
    expect(d).to.deep.include({
      count: 0,
      averageRating: null,
      answered: 0,
      responseRate: null,
      medianResponseHours: null,
      series: [],
    });
    expect(d.unansweredNegative).to.deep.equal({ count: 0, items: [] });
  });

  it('puts periods in the caller’s time zone', async () => {
    await call(carol, 'users_set_locale', { timezone: 'Asia/Tokyo' });
    const d = await dashboard({ source: 'yelp' });
    expect(d.timezone).to.equal('Asia/Tokyo');
    expect(d.series.map((s) => [s.period, s.location, s.count])).to.deep.equal([
      ['2026-02-01', 'downtown', 1],
      ['2026-02-01', 'uptown', 1],
    ]);
    await call(carol, 'users_set_locale', { timezone: 'UTC' });
  });

  it('refuses an unknown interval, naming it', async () => {
    const error = await refusalOf(dashboard({ interval: 'year' }));
    expect(error.code).to.equal('bad_request');
    expect(fieldsOf(error)[0]).to.equal('interval');
  });
});
