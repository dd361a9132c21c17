import { z } from 'zod';
import { FEATURES, ROLES } from '../../core/roles.ts';

/** Field schemas shared by the users tools; each string is bounded so no input is unbounded. */
export const userRef = z
  .string()
  .trim()
  .min(1)
  .max(254)
  .describe('The user: their id (usr_…) or email address.');
export const tenantRef = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .describe('The tenant: its id (ten_…) or slug, e.g. "acme".');
export const role = z.enum(ROLES).describe('A platform role.');
export const personName = z.string().trim().min(1).max(120).describe("The person's full name.");
export const email = z.email().max(254).describe('An email address.');
export const phone = z
  .string()
  .trim()
  .max(32)
  .regex(/^(\+?[0-9][0-9 ().-]{3,30})?$/, 'must be a phone number such as +1 555 0100')
  .describe('A phone number; empty to clear.');
export const jobTitle = z.string().trim().max(120).describe('A job title; empty to clear.');
export const featureToggles = z
  .strictObject(
    Object.fromEntries(FEATURES.map((f) => [f, z.boolean().optional()])) as Record<
      (typeof FEATURES)[number],
      z.ZodOptional<z.ZodBoolean>
    >,
  )
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'name at least one feature to change')
  .describe(
    `Features to turn on (true) or off (false): ${FEATURES.join(', ')}. Features not named keep their value.`,
  );
export const page = z.number().int().min(1).max(10_000).default(1).describe('Page number, from 1.');
export const pageSize = z.number().int().min(1).max(100).default(25).describe('Results per page (1–100).');
