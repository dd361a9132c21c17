import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { ToolCall } from '../kit/tool.ts';
import type { ReviewRow } from './views.ts';

/**
 * What the reviews server asks the CRM, always through the gateway as the caller (never its
 * tables). Called outside `call.transaction`: the embedded database has one connection.
 */

export type CallTool = ToolCall['callTool'];

const customerShape = z.looseObject({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable().optional(),
});
const customerPage = z.looseObject({ items: z.array(customerShape), total: z.number().optional() });
const oneCustomer = z.looseObject({ customer: customerShape });

export type CrmCustomer = z.infer<typeof customerShape>;

export async function listCustomers(
  callTool: CallTool,
  query: string | undefined,
  page: number,
  pageSize: number,
) {
  return customerPage.parse(
    await callTool('crm_list_customers', { ...(query ? { query } : {}), page, pageSize }),
  );
}

/** A customer by id, or undefined when the CRM has none the caller can see. */
export async function getCustomer(callTool: CallTool, id: string): Promise<CrmCustomer | undefined> {
  try {
    return oneCustomer.parse(await callTool('crm_get_customer', { customer: id })).customer;
  } catch (error) {
    if (error instanceof AppError && (error.code === 'not_found' || error.code === 'bad_request'))
      return undefined;
    throw error;
  }
}

/**
 * The one customer with this email, if exactly one: best effort, since a review stands without
 * a customer (the CRM may be off for the caller, or unreachable).
 */
export async function customerByEmail(callTool: CallTool, email: string): Promise<string | undefined> {
  try {
    const { items } = await listCustomers(callTool, email, 1, 10);
    const matches = items.filter((c) => c.email?.toLowerCase() === email.toLowerCase());
    return matches.length === 1 ? matches[0]?.id : undefined;
  } catch (error) {
    if (error instanceof AppError || error instanceof z.ZodError) return undefined;
    throw error;
  }
}

/** Adds a review-kind entry to a customer's CRM timeline; false when the CRM refused it. */
export async function logOnTimeline(
  callTool: CallTool,
  entry: { customer: string; summary: string; occurredAt?: string; data: Record<string, unknown> },
): Promise<boolean> {
  try {
    await callTool('crm_log_interaction', { ...entry, kind: 'review', summary: entry.summary.slice(0, 300) });
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
}

/** Puts a newly arrived review on the timeline of the customer it was linked to. */
export function logReviewLeft(callTool: CallTool, review: ReviewRow): Promise<boolean> {
  const comment = review.comment ? `: “${review.comment}”` : '';
  return logOnTimeline(callTool, {
    customer: review.customerId as string,
    summary: `Left a ${review.rating}-star review on ${review.source}${comment}`,
    occurredAt: review.createTime.toISOString(),
    data: { reviewId: review.id, source: review.source, rating: review.rating },
  });
}
