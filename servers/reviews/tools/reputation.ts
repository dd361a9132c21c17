import { z } from 'zod';
import { dateInput, dateRange } from '../../kit/common-inputs.ts';
import { defineTool, READ_ONLY, writes } from '../../kit/tool.ts';
import { CAMPAIGN_MAX, campaignTargets, recordCampaign } from '../campaigns.ts';
import { logOnTimeline } from '../crm-calls.ts';
import { reputationDashboard } from '../dashboard.ts';
import { assertOwnTenantWritable } from '../ingest.ts';
import * as input from '../inputs.ts';
import { readAccess, writeAccess } from './access.ts';

const customerId = z
  .string()
  .trim()
  .regex(/^cust_[0-9A-Z]{26}$/, 'must be a customer id such as cust_01J…');

const SOURCE_NAMES = {
  google: 'Google',
  facebook: 'Facebook',
  yelp: 'Yelp',
  trustpilot: 'Trustpilot',
  manual: 'our site',
};

/** The reputation dashboard's data, and review-request campaigns to CRM customers. */
export const reputationTools = [
  defineTool({
    name: 'dashboard',
    title: 'Reputation dashboard',
    description:
      'Reputation figures for a period: review count and average rating, the star distribution, response rate and ' +
      'median response time (hours to a published reply), unanswered negative reviews, and count and average per ' +
      'week or month, source and location (periods in your time zone).',
    input: z.strictObject({
      from: dateInput.optional().describe('Reviews written on or after this date.'),
      to: dateInput
        .optional()
        .describe('Reviews written before this date-time; a date-only value includes that day.'),
      location: input.location.optional(),
      source: input.source.optional(),
      interval: z.enum(['week', 'month']).default('month').describe('Period of the series: week or month.'),
    }),
    access: readAccess,
    annotations: READ_ONLY,
    handler: ({ from, to, interval, ...filters }, call) =>
      call.transaction((tx) =>
        reputationDashboard(tx, call.ctx, { ...filters, ...dateRange(from, to) }, interval),
      ),
  }),
  defineTool({
    name: 'request_campaign',
    title: 'Ask customers for reviews',
    description:
      'Queue review requests to CRM customers: the given customer ids, or those a CRM search finds (query), or all ' +
      `customers (at most ${CAMPAIGN_MAX} per call). Customers without an email are skipped with the reason; nobody ` +
      'is asked twice in the same campaign. Each request is noted on the customer’s CRM timeline.',
    input: z.strictObject({
      campaign: z.string().trim().min(1).max(80).describe('The campaign’s name, e.g. "spring-2026".'),
      customers: z
        .array(customerId)
        .min(1)
        .max(CAMPAIGN_MAX)
        .optional()
        .describe('CRM customer ids (cust_…).'),
      query: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .optional()
        .describe('A CRM customer search (name, email, company).'),
      source: input.source
        .default('google')
        .describe('Where customers are asked to leave the review (default google).'),
    }),
    access: writeAccess,
    // It writes to customers on the business's behalf: an agent needs the person's approval.
    annotations: writes({ destructive: true }),
    handler: async (args, call) => {
      if (args.customers && args.query)
        throw input.invalidField('query', 'give customers or query, not both');
      assertOwnTenantWritable(call.ctx);
      const callTool = call.callTool.bind(call);
      const targets = await campaignTargets(callTool, args);
      const lines = await call.transaction(async (tx) => {
        call.audit.target = args.campaign;
        return recordCampaign(tx, call.ctx, {
          campaign: args.campaign,
          source: args.source,
          customers: targets.customers,
        });
      });
      let loggedToCrm = 0;
      for (const line of lines) {
        if (line.status !== 'queued' || !line.requestId) continue;
        const logged = await logOnTimeline(callTool, {
          customer: line.customerId,
          summary: `Asked to review us on ${SOURCE_NAMES[args.source]} (campaign “${args.campaign}”)`,
          data: { reviewRequestId: line.requestId, campaign: args.campaign, source: args.source },
        });
        if (logged) loggedToCrm += 1;
      }
      return {
        campaign: args.campaign,
        source: args.source,
        queued: lines.filter((l) => l.status === 'queued').length,
        skipped: lines.filter((l) => l.status === 'skipped').length,
        requests: lines,
        notFound: targets.notFound,
        truncated: targets.truncated,
        loggedToCrm,
      };
    },
  }),
];
