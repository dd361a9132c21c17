import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { resolveOwnOrManaged, viewWithTenant } from './own-or-managed.ts';
import {
  DEFAULT_NOTIFICATION_PREFS,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_EVENTS,
  type NotificationPrefs,
  users,
} from './schema.ts';
import type { UserView } from './views.ts';

type Channel = (typeof NOTIFICATION_CHANNELS)[number];
type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
export type NotificationPrefsChange = Partial<Record<Channel, Partial<Record<NotificationEvent, boolean>>>>;

const channelChange = z
  .strictObject(
    Object.fromEntries(NOTIFICATION_EVENTS.map((e) => [e, z.boolean().optional()])) as Record<
      NotificationEvent,
      z.ZodOptional<z.ZodBoolean>
    >,
  )
  .describe(`Events to be told about (true) or not (false): ${NOTIFICATION_EVENTS.join(', ')}.`);

/** A partial change: only the channels and events named change; unknown ones are refused. */
export const notificationPrefsInput = z
  .strictObject(
    Object.fromEntries(NOTIFICATION_CHANNELS.map((c) => [c, channelChange.optional()])) as Record<
      Channel,
      z.ZodOptional<typeof channelChange>
    >,
  )
  .refine(
    (v) => Object.values(v).some((events) => events && Object.values(events).some((x) => x !== undefined)),
    // Only once the rest is valid, so an unknown event is reported alone.
    {
      message: 'name at least one channel and event to change',
      when: (payload) => payload.issues.length === 0,
    },
  )
  .describe(
    `Per channel (${NOTIFICATION_CHANNELS.join(', ')}), the events to turn on or off; the others keep their value.`,
  );

/** Stored preferences with every channel and event present (defaults for anything missing). */
function normalize(stored: Partial<NotificationPrefs> | null | undefined): NotificationPrefs {
  const out = structuredClone(DEFAULT_NOTIFICATION_PREFS);
  for (const channel of NOTIFICATION_CHANNELS)
    for (const event of NOTIFICATION_EVENTS) {
      const value = stored?.[channel]?.[event];
      if (typeof value === 'boolean') out[channel][event] = value;
    }
  return out;
}

export interface NotificationPrefsView {
  user: UserView;
  preferences: NotificationPrefs;
}

/** A user's notification preferences: one's own always, another's with the right to manage them. */
export async function getNotificationPrefs(
  tx: Tx,
  ctx: CallContext,
  input: { user?: string | undefined },
): Promise<NotificationPrefsView> {
  const target = await resolveOwnOrManaged(tx, ctx, input.user, 'notification preferences');
  return { user: await viewWithTenant(tx, target), preferences: normalize(target.notificationPrefs) };
}

/** Merges a partial change into a user's notification preferences. */
export async function setNotificationPrefs(
  tx: Tx,
  ctx: CallContext,
  input: { user?: string | undefined; preferences: NotificationPrefsChange },
): Promise<NotificationPrefsView> {
  const target = await resolveOwnOrManaged(tx, ctx, input.user, 'notification preferences');
  const [current] = await tx
    .select({ prefs: users.notificationPrefs })
    .from(users)
    .where(eq(users.id, target.id))
    .for('update');
  const preferences = normalize(current?.prefs);
  for (const channel of NOTIFICATION_CHANNELS)
    for (const event of NOTIFICATION_EVENTS) {
      const value = input.preferences[channel]?.[event];
      if (value !== undefined) preferences[channel][event] = value;
    }
  const [updated] = await tx
    .update(users)
    .set({ notificationPrefs: preferences, updatedAt: new Date() })
    .where(eq(users.id, target.id))
    .returning();
  if (!updated) throw new AppError('not_found', 'The user disappeared while being updated.');
  return { user: await viewWithTenant(tx, updated), preferences };
}
