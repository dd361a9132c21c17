import { z } from 'zod';
import { defineTool, writes } from '../../kit/tool.ts';
import { assertOwnTenantWritable } from '../ingest.ts';
import * as input from '../inputs.ts';
import { issueWebhookSecret } from '../webhook-keys.ts';
import { writeAccess } from './access.ts';

/** The secret a review source signs its webhook deliveries with. */
export function webhookTools(options: { webhookKey: Uint8Array }) {
  return [
    defineTool({
      name: 'webhook_secret',
      title: 'Create or rotate a review webhook secret',
      description:
        'Create the secret a review source (google, facebook, yelp, trustpilot, manual) signs its deliveries to ' +
        'POST /api/webhooks/reviews/<source> with, for your organisation; shown only now. Calling it again rotates ' +
        'the secret: the old one stops working at once.',
      input: z.strictObject({ source: input.source }),
      // A credential: refused while viewing as someone; rotating breaks the sender until it is updated.
      access: { ...writeAccess, sensitive: true },
      annotations: writes({ destructive: true }),
      handler: async (args, call) => {
        assertOwnTenantWritable(call.ctx);
        return call.transaction(async (tx) => {
          call.audit.target = args.source;
          return issueWebhookSecret(tx, call.ctx, options.webhookKey, args.source);
        });
      },
    }),
  ];
}
