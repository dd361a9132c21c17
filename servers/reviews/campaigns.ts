import { and, eq, inArray } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { newId } from '../../core/ids.ts';
import { type CallTool, type CrmCustomer, getCustomer, listCustomers } from './crm-calls.ts';
import { type ReviewSource, reviewRequests } from './schema.ts';

/** The most customers one campaign call asks; more need another call with a narrower query. */
export const CAMPAIGN_MAX = 500;
const CRM_PAGE = 100;

export interface CampaignTargets {
  customers: CrmCustomer[];
  /** Customer ids the CRM does not know (or the caller cannot see). */
  notFound: string[];
  /** More customers matched than one campaign asks. */
  truncated: boolean;
}

/** The customers a campaign asks, found through the CRM's tools: by id, by a search, or all of them. */
export async function campaignTargets(
  callTool: CallTool,
  by: { customers?: string[] | undefined; query?: string | undefined },
): Promise<CampaignTargets> {
  if (by.customers) {
    const found: CrmCustomer[] = [];
    const notFound: string[] = [];
    for (const id of new Set(by.customers)) {
      const customer = await getCustomer(callTool, id);
      if (customer) found.push(customer);
      else notFound.push(id);
    }
    return { customers: found, notFound, truncated: false };
  }
  const found: CrmCustomer[] = [];
  let total = 0;
  for (let page = 1; found.length < CAMPAIGN_MAX; page++) {
    const result = await listCustomers(callTool, by.query, page, CRM_PAGE);
    found.push(...result.items);
    total = result.total ?? found.length;
    if (result.items.length < CRM_PAGE) break;
  }
  return { customers: found.slice(0, CAMPAIGN_MAX), notFound: [], truncated: total > CAMPAIGN_MAX };
}

export interface CampaignLine {
  customerId: string;
  name: string;
  email: string | null;
  status: 'queued' | 'skipped';
  reason: string | null;
  requestId: string | null;
}

/**
 * Records a campaign's review requests: one queued request per customer with an email, a skipped
 * one (with the reason) per customer without. A customer already asked in this campaign is not
 * asked again, so running a campaign twice asks nobody twice.
 */
export async function recordCampaign(
  tx: Tx,
  ctx: CallContext,
  input: { campaign: string; source: ReviewSource; customers: CrmCustomer[] },
): Promise<CampaignLine[]> {
  const ids = input.customers.map((c) => c.id);
  const earlier = ids.length
    ? await tx
        .select({ customerId: reviewRequests.customerId, status: reviewRequests.status })
        .from(reviewRequests)
        .where(
          and(
            eq(reviewRequests.tenantId, ctx.tenantId),
            eq(reviewRequests.campaign, input.campaign),
            inArray(reviewRequests.customerId, ids),
          ),
        )
    : [];
  const asked = new Set(earlier.filter((r) => r.status !== 'skipped').map((r) => r.customerId));
  const skippedBefore = new Set(earlier.filter((r) => r.status === 'skipped').map((r) => r.customerId));

  const lines: CampaignLine[] = [];
  const rows: (typeof reviewRequests.$inferInsert)[] = [];
  for (const customer of input.customers) {
    const email = customer.email?.trim() || null;
    const line = { customerId: customer.id, name: customer.name, email };
    if (asked.has(customer.id)) {
      lines.push({ ...line, status: 'skipped', reason: 'already asked in this campaign', requestId: null });
      continue;
    }
    const status = email ? 'queued' : 'skipped';
    const reason = email ? null : 'no email address';
    if (!email && skippedBefore.has(customer.id)) {
      lines.push({ ...line, status, reason, requestId: null });
      continue;
    }
    const id = newId('reviewRequest');
    rows.push({
      id,
      tenantId: ctx.tenantId,
      campaign: input.campaign,
      customerId: customer.id,
      name: customer.name,
      email,
      source: input.source,
      status,
      reason,
      createdBy: ctx.userId,
    });
    lines.push({ ...line, status, reason, requestId: id });
  }
  if (rows.length) await tx.insert(reviewRequests).values(rows);
  return lines;
}
