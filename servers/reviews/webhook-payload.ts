import { z } from 'zod';
import { fromZodError } from '../../core/errors.ts';
import { invalidField } from './inputs.ts';
import type { ReviewSource } from './schema.ts';

const STARS = { ONE: 1, TWO: 2, THREE: 3, FOUR: 4, FIVE: 5 } as const;

/**
 * A Google Business Profile review as its API and notifications carry it
 * (accounts.locations.reviews): unknown fields are ignored, since Google adds them over time.
 * `location` is ours, for senders that know their own location names.
 */
const googleReview = z.looseObject({
  name: z.string().max(500).optional(),
  reviewId: z.string().trim().min(1).max(200).optional(),
  reviewer: z
    .looseObject({ displayName: z.string().max(200).optional(), isAnonymous: z.boolean().optional() })
    .optional(),
  starRating: z.enum(Object.keys(STARS) as [keyof typeof STARS, ...(keyof typeof STARS)[]]),
  comment: z.string().optional(),
  createTime: z.string(),
  updateTime: z.string().optional(),
  reviewReply: z.looseObject({ comment: z.string(), updateTime: z.string().optional() }).optional(),
  location: z.string().optional(),
});

function fromGoogle(payload: unknown): Record<string, unknown> {
  const parsed = googleReview.safeParse(payload);
  if (!parsed.success) throw fromZodError(parsed.error, 'Google review');
  const g = parsed.data;
  const externalId = g.reviewId ?? /\/reviews\/([^/]+)$/.exec(g.name ?? '')?.[1];
  if (!externalId) throw invalidField('reviewId', 'a Google review needs reviewId or name (…/reviews/<id>)');
  const location = g.location ?? /\/locations\/([^/]+)/.exec(g.name ?? '')?.[1];
  const displayName = g.reviewer?.displayName?.trim();
  return {
    externalId,
    ...(location ? { location } : {}),
    reviewer: displayName && !g.reviewer?.isAnonymous ? displayName : 'A Google user',
    rating: STARS[g.starRating],
    ...(g.comment?.trim() ? { comment: g.comment } : {}),
    createTime: g.createTime,
    ...(g.updateTime ? { updateTime: g.updateTime } : {}),
    ...(g.reviewReply?.comment.trim()
      ? {
          reply: {
            comment: g.reviewReply.comment,
            ...(g.reviewReply.updateTime ? { updateTime: g.reviewReply.updateTime } : {}),
          },
        }
      : {}),
  };
}

/**
 * A delivery's body as `reviews_ingest` arguments. Google sends its own review shape; the other
 * sources send the normalized shape, which is `reviews_ingest`'s own arguments without `source`
 * (the URL names it), and the tool validates it.
 */
export function ingestArgsFromWebhook(source: ReviewSource, payload: unknown): Record<string, unknown> {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload))
    throw invalidField('body', 'must be a JSON object: one review');
  if (source === 'google') return { source, ...fromGoogle(payload) };
  const body = payload as Record<string, unknown>;
  if (body.source !== undefined && body.source !== source)
    throw invalidField('source', `the body says ${String(body.source)} but the URL says ${source}`);
  return { ...body, source };
}
