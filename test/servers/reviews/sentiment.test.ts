import { expect } from 'chai';
import { TOPIC_NAMES } from '../../../servers/reviews/lexicon.ts';
import { analyzeReview, isNegative, topicsOf } from '../../../servers/reviews/sentiment.ts';

describe('Reviews: lexicon sentiment and topics (deterministic, no network)', () => {
  const label = (text: string, rating = 3) => analyzeReview(text, rating).label;

  it('reads plainly positive and negative reviews', () => {
    expect(label('Absolutely delicious croissants and very friendly staff!')).to.equal('positive');
    expect(label('Terrible. Rude staff, dirty tables.')).to.equal('negative');
    expect(label('We came on a Tuesday.', 3)).to.equal('neutral');
  });

  it('flips a term after a negator, only up to the next term', () => {
    expect(label('The coffee was not good.')).to.equal('negative');
    expect(label("Wasn't clean at all.")).to.equal('negative');
    expect(label('Never disappointed, highly recommend.')).to.equal('positive');
  });

  it('weighs what follows "but" more than what precedes it', () => {
    expect(label('The food was great but the service was terrible.')).to.equal('negative');
    expect(label('A bit slow but the bread is excellent.')).to.equal('positive');
  });

  it('reads phrases as one term', () => {
    expect(analyzeReview('Never again.', 3).score).to.be.below(-0.5);
    expect(label('Total waste of money.')).to.equal('negative');
  });

  it('strengthens a term after an intensifier', () => {
    expect(analyzeReview('very good', 3).score).to.be.above(analyzeReview('good', 3).score);
    expect(analyzeReview('slightly good', 3).score).to.be.below(analyzeReview('good', 3).score);
  });

  it('keeps the score within -1..1', () => {
    const gushing = analyzeReview('amazing amazing amazing perfect perfect best love love wonderful', 5);
    const furious = analyzeReview('terrible awful horrible worst disgusting scam rude filthy', 1);
    expect(gushing.score).to.be.within(0.9, 1);
    expect(furious.score).to.be.within(-1, -0.9);
  });

  it('takes the sentiment from the stars when the text says nothing either way', () => {
    expect(analyzeReview(undefined, 5)).to.deep.equal({ score: 1, label: 'positive', topics: [] });
    expect(analyzeReview('', 3)).to.deep.equal({ score: 0, label: 'neutral', topics: [] });
    expect(analyzeReview('Visited on Monday.', 1)).to.include({ score: -1, label: 'negative' });
  });

  it('gives the same answer every time', () => {
    const text = 'Lovely staff, but we waited 40 minutes and the price was too expensive.';
    expect(analyzeReview(text, 3)).to.deep.equal(analyzeReview(text, 3));
  });

  it('tags topics by words, prefixes and phrases, in the lexicon’s order', () => {
    expect(topicsOf('Our waiter was slow and the bill was high; the tables were filthy.')).to.deep.equal([
      'service',
      'price',
      'wait time',
      'cleanliness',
    ]);
    expect(topicsOf('Cozy atmosphere, easy parking, fresh pastries.')).to.deep.equal([
      'quality',
      'food',
      'atmosphere',
      'location',
    ]);
    expect(topicsOf('Nothing to say.')).to.deep.equal([]);
    expect(TOPIC_NAMES).to.include.members([
      'service',
      'price',
      'quality',
      'staff',
      'wait time',
      'cleanliness',
      'food',
    ]);
  });

  it('counts a review negative at two stars or fewer, or with a negative sentiment', () => {
    expect(isNegative({ rating: 2, sentimentLabel: 'positive' })).to.equal(true);
    expect(isNegative({ rating: 5, sentimentLabel: 'negative' })).to.equal(true);
    expect(isNegative({ rating: 3, sentimentLabel: 'neutral' })).to.equal(false);
  });
});
