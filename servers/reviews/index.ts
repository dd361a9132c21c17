import { defineServer } from '../kit/define-server.ts';
import { replyTools } from './tools/replies.ts';
import { reputationTools } from './tools/reputation.ts';
import { reviewTools } from './tools/reviews.ts';
import { webhookTools } from './tools/webhook.ts';

export interface ReviewsServerOptions {
  /** Encrypts webhook secrets at rest (the gateway's webhook door decrypts them with the same key). */
  webhookKey: Uint8Array;
}

/** The reviews domain: reviews from every source, replies and templates, sentiment, reputation data, requests. */
export function reviewsServer(options: ReviewsServerOptions) {
  return defineServer({
    name: 'reviews',
    version: '0.1.0',
    instructions:
      'Online reviews of the business: find and read them, draft, approve and publish replies, reply templates, ' +
      'sentiment and topics, the reputation dashboard, and review-request campaigns to CRM customers.',
    tools: [...reviewTools, ...replyTools, ...reputationTools, ...webhookTools(options)],
  });
}

export { REVIEW_EVENTS } from './events.ts';
export * as reviewWebhook from './webhook.ts';
