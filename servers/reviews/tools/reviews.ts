import { z } from 'zod';
import { newId } from '../../../core/ids.ts';
import { dateInput, dateRange, page, pageSize } from '../../kit/common-inputs.ts';
import { defineTool, READ_ONLY, writes } from '../../kit/tool.ts';
import { customerByEmail, logReviewLeft } from '../crm-calls.ts';
import { assertOwnTenantWritable, ingestReview } from '../ingest.ts';
import * as input from '../inputs.ts';
import { getReview, listReviews } from '../search.ts';
import { isNegative } from '../sentiment.ts';
import { setSentiment } from '../sentiment-override.ts';
import { reviewView } from '../views.ts';
import { readAccess, writeAccess } from './access.ts';

// A sender's clock may run a little ahead of ours.
const FUTURE_SKEW_MS = 5 * 60_000;

const ingestInput = z.strictObject({
  source: input.source,
  externalId: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'The source’s own review id; the same id again updates the review. Optional for manual reviews.',
    ),
  location: input.location.default('main'),
  reviewer: z.string().trim().min(1).max(200).describe('The reviewer’s display name.'),
  reviewerEmail: z
    .email()
    .max(254)
    .optional()
    .describe('The reviewer’s email, when known (links a CRM customer).'),
  rating: input.rating,
  comment: z.string().trim().max(10_000).optional().describe('What the reviewer wrote.'),
  createTime: dateInput.optional().describe('When the review was written (default now).'),
  updateTime: dateInput.optional().describe('When the reviewer last edited it (default createTime).'),
  reply: z
    .strictObject({ comment: input.replyText, updateTime: dateInput.optional() })
    .optional()
    .describe('A reply the business already posted at the source (it counts as published).'),
});

/** Reviews themselves: ingest, find, read, and a model's reading of their sentiment. */
export const reviewTools = [
  defineTool({
    name: 'ingest',
    title: 'Add or update a review',
    description:
      'Store a review from Google, Facebook, Yelp, Trustpilot or entered by hand. The same source and externalId ' +
      'again updates it (no duplicate). Sentiment and topics are computed from the text; a negative review ' +
      '(≤ 2 stars or negative sentiment) raises reviews.negative_received.',
    input: ingestInput,
    access: writeAccess,
    annotations: writes({ idempotent: true }),
    handler: async (args, call) => {
      assertOwnTenantWritable(call.ctx);
      const createTime = args.createTime ? new Date(args.createTime) : new Date();
      if (createTime.getTime() > Date.now() + FUTURE_SKEW_MS)
        throw input.invalidField('createTime', 'must not be in the future');
      if (!args.externalId && args.source !== 'manual')
        throw input.invalidField(
          'externalId',
          `required for ${args.source} reviews (the source’s review id)`,
        );
      const externalId = args.externalId ?? `manual-${newId('review').slice(4)}`;
      const callTool = call.callTool.bind(call);
      const customerId = args.reviewerEmail ? await customerByEmail(callTool, args.reviewerEmail) : undefined;
      const updateTime = args.updateTime ? new Date(args.updateTime) : createTime;
      const result = await call.transaction(async (tx) => {
        const ingested = await ingestReview(tx, call.ctx, {
          ...args,
          externalId,
          createTime,
          updateTime,
          // Without its own time, a reply is dated with the review's last update: a delivery sent
          // twice must store the same thing twice.
          reply: args.reply && {
            comment: args.reply.comment,
            updateTime: args.reply.updateTime ? new Date(args.reply.updateTime) : updateTime,
          },
          customerId,
        });
        call.audit.target = ingested.review.id;
        return ingested;
      });
      const { review } = result;
      const loggedToCrm = result.created && review.customerId ? await logReviewLeft(callTool, review) : false;
      return {
        review: reviewView(review),
        created: result.created,
        stale: result.stale,
        negative: isNegative(review),
        loggedToCrm,
      };
    },
  }),
  defineTool({
    name: 'list',
    title: 'List reviews',
    description:
      'Reviews, newest first. Filter by stars (rating exactly, or minRating/maxRating), source, location, date ' +
      'range (from/to), unanswered (no published reply yet), sentiment, topic, or text; e.g. unanswered reviews ' +
      'with 2 stars or less: {maxRating: 2, unanswered: true}.',
    input: z.strictObject({
      rating: input.rating.optional().describe('Exactly this many stars.'),
      minRating: input.rating.optional().describe('At least this many stars.'),
      maxRating: input.rating.optional().describe('At most this many stars.'),
      source: input.source.optional(),
      location: input.location.optional(),
      from: dateInput.optional().describe('Written on or after this date.'),
      to: dateInput
        .optional()
        .describe('Written before this date-time; a date-only value includes that day.'),
      unanswered: z.boolean().optional().describe('true: no published reply yet; false: answered.'),
      sentiment: input.sentimentLabel.optional().describe('positive, neutral or negative.'),
      topic: input.topic.optional().describe('A topic tag, e.g. "service", "price", "wait time".'),
      query: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .optional()
        .describe('Text in the comment or the reviewer’s name.'),
      page,
      pageSize,
    }),
    access: readAccess,
    annotations: READ_ONLY,
    handler: ({ page, pageSize, from, to, ...filters }, call) =>
      call.transaction((tx) => listReviews(tx, { ...filters, ...dateRange(from, to) }, { page, pageSize })),
  }),
  defineTool({
    name: 'get',
    title: 'Get a review',
    description: 'One review: reviewer, stars, text, reply and its state, sentiment and topics.',
    input: z.strictObject({ review: input.reviewRef }),
    access: readAccess,
    annotations: READ_ONLY,
    handler: (args, call) => call.transaction((tx) => getReview(tx, args.review)),
  }),
  defineTool({
    name: 'set_sentiment',
    title: 'Set a review’s sentiment',
    description:
      'Override the computed sentiment (and optionally the topics) of a review with your own reading, e.g. when ' +
      'the text is sarcastic or in another language. It stays until the review’s text changes.',
    input: z.strictObject({
      review: input.reviewRef,
      label: input.sentimentLabel.describe('positive, neutral or negative.'),
      score: z.number().min(-1).max(1).optional().describe('-1 (very negative) to 1 (very positive).'),
      topics: z.array(input.topic).max(10).optional().describe('Topic tags, e.g. ["service", "wait time"].'),
    }),
    access: writeAccess,
    annotations: writes({ idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        call.audit.target = args.review;
        return setSentiment(tx, call.ctx, args);
      }),
  }),
];
