import { z } from 'zod';

/** Input fields many tools share, so they read and validate the same everywhere. */
export const page = z.number().int().min(1).max(10_000).default(1).describe('Page number, from 1.');
export const pageSize = z.number().int().min(1).max(100).default(25).describe('Results per page (1–100).');
export const dateInput = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .describe('An ISO 8601 date (2026-01-31) or date-time (2026-01-31T09:00:00Z).');

const DAY_MS = 86_400_000;

/** A from/to pair as dates; a date-only `to` means "through the end of that day". */
export function dateRange(from?: string, to?: string): { from: Date | undefined; to: Date | undefined } {
  return {
    from: from ? new Date(from) : undefined,
    to: to ? new Date(to.length === 10 ? new Date(to).getTime() + DAY_MS : to) : undefined,
  };
}
