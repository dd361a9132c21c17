import { z } from 'zod';
import { INTERACTION_KINDS, LEAD_STAGES } from '../schema.ts';

/** CRM input fields, bounded and described once. */
export const leadRef = z
  .string()
  .trim()
  .regex(/^lead_[0-9A-Z]{26}$/, 'must be a lead id such as lead_01J…')
  .describe('The lead id (lead_…).');
export const customerRef = z
  .string()
  .trim()
  .regex(/^cust_[0-9A-Z]{26}$/, 'must be a customer id such as cust_01J…')
  .describe('The customer id (cust_…).');
export const stage = z
  .enum(LEAD_STAGES)
  .describe('Pipeline stage: new → contacted → qualified → proposal → won / lost.');
export const personName = z.string().trim().min(1).max(120).describe("The person's name.");
export const email = z.email().max(254).describe('Email address.');
export const phone = z
  .string()
  .trim()
  .max(32)
  .regex(/^\+?[0-9][0-9 ().-]{3,30}$/, 'must be a phone number such as +1 555 0100')
  .describe('Phone number.');
export const company = z.string().trim().max(200).describe('Company name.');
export const source = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .describe('Where the lead came from: website, referral, phone, email, social, event, manual…');
export const notes = z.string().trim().max(5000).describe('Notes, e.g. what they asked about.');
export const customFields = z
  .record(z.string().trim().min(1).max(60), z.union([z.string().max(500), z.number(), z.boolean()]))
  .refine((v) => Object.keys(v).length <= 50, 'at most 50 custom fields')
  .describe('Custom fields, name → value.');
export const interactionKind = z.enum(
  INTERACTION_KINDS.filter((k) => k !== 'stage_change') as [
    'note',
    'call',
    'email',
    'meeting',
    'task',
    'review',
    'billing',
  ],
);
