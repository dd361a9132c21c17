import { z } from 'zod';
import type { Tx } from '../../../core/db/connection.ts';
import { defineTool, READ_ONLY, type ToolCall, type ToolDefinition, writes } from '../../kit/tool.ts';
import { normalizeAvatarImage } from '../avatar-image.ts';
import { type AvatarChange, discardAvatarFile, removeAvatar, setAvatar } from '../avatars.ts';
import type { UsersServerOptions } from '../index.ts';
import * as input from '../inputs.ts';
import { languageInput, setLocale, timeZoneInput } from '../locale.ts';
import {
  getNotificationPrefs,
  notificationPrefsInput,
  setNotificationPrefs,
} from '../notification-preferences.ts';
import { auditTargetUser } from './audit-target.ts';

type PreferenceOptions = Pick<UsersServerOptions, 'avatarDir' | 'avatarMaxBytes'>;

const ownOrOther = (what: string) =>
  input.userRef.optional().describe(`Whose ${what} (id or email); omit for your own.`);

/** Avatar, time zone and language, notification preferences. */
export function preferenceTools(options: PreferenceOptions): ToolDefinition[] {
  const dir = options.avatarDir;
  const maxBytes = options.avatarMaxBytes;
  return [
    defineTool({
      name: 'set_avatar',
      title: 'Set an avatar',
      description:
        `Upload a profile picture: a PNG, JPEG or WebP image (at most ${maxBytes} bytes), base64-encoded. It is ` +
        'stored re-encoded as WebP (at most 512×512, upright, without metadata) under a new URL. Without `user` it ' +
        "sets your own; someone else's needs the right to manage them.",
      input: z.strictObject({
        user: ownOrOther('avatar'),
        image: z
          .base64('must be base64-encoded image bytes')
          .min(1)
          .max(Math.ceil(maxBytes / 3) * 4, `must encode at most ${maxBytes} bytes`)
          .describe('The image file, base64-encoded (PNG, JPEG or WebP).'),
      }),
      access: { permission: 'profile.self', scope: 'self' },
      annotations: writes(),
      handler: async (args, call) => {
        // Decoding is CPU work: done before the transaction, so no database connection waits on it.
        const image = await normalizeAvatarImage(Buffer.from(args.image, 'base64'), maxBytes);
        return commitAvatarChange(call, dir, (tx) =>
          setAvatar(tx, call.ctx, { user: args.user, image }, dir),
        );
      },
    }),
    defineTool({
      name: 'remove_avatar',
      title: 'Remove an avatar',
      description:
        "Remove a profile picture and delete its file. Without `user` it removes your own; someone else's needs the " +
        'right to manage them.',
      input: z.strictObject({ user: ownOrOther('avatar') }),
      access: { permission: 'profile.self', scope: 'self' },
      annotations: writes({ destructive: true, idempotent: true }),
      handler: (args, call) => commitAvatarChange(call, dir, (tx) => removeAvatar(tx, call.ctx, args)),
    }),
    defineTool({
      name: 'set_locale',
      title: 'Set time zone and language',
      description:
        'Set the time zone (IANA name, e.g. Europe/Paris) and/or language (BCP 47 tag, e.g. fr-CA) the platform ' +
        "formats dates in for a user. Without `user` it changes your own; someone else's needs the right to manage them.",
      input: z
        .strictObject({
          user: ownOrOther('time zone and language'),
          timezone: timeZoneInput.optional(),
          language: languageInput.optional(),
        })
        .refine((v) => v.timezone !== undefined || v.language !== undefined, {
          message: 'give at least one of timezone, language',
        }),
      access: { permission: 'profile.self', scope: 'self' },
      annotations: writes({ idempotent: true }),
      handler: (args, call) =>
        call.transaction(async (tx) => {
          const user = await setLocale(tx, call.ctx, args);
          auditTargetUser(call, user);
          return { user };
        }),
    }),
    defineTool({
      name: 'get_notification_preferences',
      title: 'Notification preferences',
      description:
        'Which events (securityAlerts, leadUpdates, reviewAlerts, billing) a user is told about on each channel ' +
        "(email, inApp). Without `user`, your own; someone else's needs the right to manage them.",
      input: z.strictObject({ user: ownOrOther('notification preferences') }),
      access: { permission: 'profile.self', scope: 'self' },
      annotations: READ_ONLY,
      handler: (args, call) =>
        call.transaction(async (tx) => ({ ...(await getNotificationPrefs(tx, call.ctx, args)) })),
    }),
    defineTool({
      name: 'set_notification_preferences',
      title: 'Change notification preferences',
      description:
        'Turn events on or off per channel, e.g. {"email": {"leadUpdates": false}}; events not named keep their ' +
        "value. Without `user` it changes your own; someone else's needs the right to manage them.",
      input: z.strictObject({
        user: ownOrOther('notification preferences'),
        preferences: notificationPrefsInput,
      }),
      access: { permission: 'profile.self', scope: 'self' },
      annotations: writes({ idempotent: true }),
      handler: (args, call) =>
        call.transaction(async (tx) => {
          const result = await setNotificationPrefs(tx, call.ctx, args);
          auditTargetUser(call, result.user);
          return { ...result };
        }),
    }),
  ];
}

/**
 * Runs an avatar change in the call's transaction and tidies the directory after it: the file
 * it replaced goes once the change has committed; the file it wrote goes if the change (or its
 * commit, or its audit record) failed, so no file is left that no row points at.
 */
async function commitAvatarChange(call: ToolCall, dir: string, change: (tx: Tx) => Promise<AvatarChange>) {
  let written: string | null = null;
  try {
    const done = await call.transaction(async (tx) => {
      const result = await change(tx);
      written = result.written;
      auditTargetUser(call, result.user);
      return result;
    });
    await discardAvatarFile(dir, done.replaced);
    return { user: done.user };
  } catch (error) {
    await discardAvatarFile(dir, written);
    throw error;
  }
}
