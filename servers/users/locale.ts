import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { resolveOwnOrManaged, viewWithTenant } from './own-or-managed.ts';
import { users } from './schema.ts';
import type { UserView } from './views.ts';

/**
 * The canonical IANA name of a time zone (`asia/tokyo` → `Asia/Tokyo`), or undefined when Intl
 * does not know it. UTC offsets such as `+09:00` are refused: they are not zones and ignore
 * daylight saving time.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (!/^[A-Za-z]/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The canonical form of a well-formed BCP 47 language tag (`en-us` → `en-US`), or undefined. */
export function canonicalLanguage(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

export const timeZoneInput = z
  .string()
  .trim()
  .min(1, { abort: true })
  .max(64, { abort: true })
  .refine(
    (v) => canonicalTimeZone(v) !== undefined,
    'must be an IANA time zone name such as Europe/Paris or UTC',
  )
  .describe('An IANA time zone name, e.g. Europe/Paris, America/New_York or UTC.');

export const languageInput = z
  .string()
  .trim()
  .min(1, { abort: true })
  .max(35, { abort: true })
  .refine((v) => canonicalLanguage(v) !== undefined, 'must be a BCP 47 language tag such as en, fr-CA or ja')
  .describe('A BCP 47 language tag, e.g. en, en-GB, fr-CA or ja.');

export interface LocaleInput {
  user?: string | undefined;
  timezone?: string | undefined;
  language?: string | undefined;
}

/** Sets the time zone and/or language the platform formats a user's dates in, stored in canonical form. */
export async function setLocale(tx: Tx, ctx: CallContext, input: LocaleInput): Promise<UserView> {
  const target = await resolveOwnOrManaged(tx, ctx, input.user, 'time zone and language');
  const changes: Partial<typeof users.$inferInsert> = { updatedAt: new Date() };
  if (input.timezone !== undefined) changes.timezone = canonicalTimeZone(input.timezone);
  if (input.language !== undefined) changes.language = canonicalLanguage(input.language);
  const [updated] = await tx.update(users).set(changes).where(eq(users.id, target.id)).returning();
  if (!updated) throw new AppError('not_found', 'The user disappeared while being updated.');
  return viewWithTenant(tx, updated);
}
