import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { resolveOwnOrManaged, viewWithTenant } from './own-or-managed.ts';
import { users } from './schema.ts';
import type { UserView } from './views.ts';

/**
 * Avatar files: `<user id>-<128 random bits>.webp` in the avatars directory. A new name on every
 * upload makes the URL cache-busting (served as immutable) and unguessable; the strict pattern
 * is also what keeps a requested name from ever leaving the directory.
 */
const AVATAR_FILE = /^usr_[0-9A-HJKMNP-TV-Z]{26}-[0-9a-f]{32}\.webp$/;

export function isAvatarFileName(name: string): boolean {
  return AVATAR_FILE.test(name);
}

/** The path of a stored avatar, or undefined for anything that is not an avatar file name. */
export function avatarPath(dir: string, file: string): string | undefined {
  return isAvatarFileName(file) ? path.join(dir, file) : undefined;
}

async function writeAvatarFile(dir: string, userId: string, image: Buffer): Promise<string> {
  const file = `${userId}-${randomBytes(16).toString('hex')}.webp`;
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, file), image, { flag: 'wx', mode: 0o644 });
  return file;
}

/** Deletes a stored avatar; a file already gone is fine, and a failure leaves only an unreferenced file. */
export async function discardAvatarFile(dir: string, file: string | null | undefined): Promise<void> {
  const target = file ? avatarPath(dir, file) : undefined;
  if (target) await fs.rm(target, { force: true }).catch(() => undefined);
}

/** The previous avatar file of a user, with the row locked so two uploads at once cannot both replace it. */
async function lockAvatarFile(tx: Tx, userId: string): Promise<string | null> {
  const [row] = await tx
    .select({ avatarFile: users.avatarFile })
    .from(users)
    .where(eq(users.id, userId))
    .for('update');
  return row?.avatarFile ?? null;
}

export interface AvatarChange {
  user: UserView;
  /** The file written by this change: to delete if the transaction does not commit. */
  written: string | null;
  /** The file this change replaced: to delete once the transaction commits. */
  replaced: string | null;
}

/**
 * Stores an already normalized image as the user's avatar. The file is written before the row
 * points at it and deleted again here if anything after the write fails; the caller deletes
 * `written` if the commit itself fails, and `replaced` once it succeeds.
 */
export async function setAvatar(
  tx: Tx,
  ctx: CallContext,
  input: { user?: string | undefined; image: Buffer },
  dir: string,
): Promise<AvatarChange> {
  const target = await resolveOwnOrManaged(tx, ctx, input.user, 'avatar');
  const replaced = await lockAvatarFile(tx, target.id);
  const written = await writeAvatarFile(dir, target.id, input.image);
  try {
    const [updated] = await tx
      .update(users)
      .set({ avatarFile: written, updatedAt: new Date() })
      .where(eq(users.id, target.id))
      .returning();
    if (!updated) throw new AppError('not_found', 'The user disappeared while being updated.');
    return { user: await viewWithTenant(tx, updated), written, replaced };
  } catch (error) {
    await discardAvatarFile(dir, written);
    throw error;
  }
}

/** Clears the user's avatar; the caller deletes `replaced` once the change commits. */
export async function removeAvatar(
  tx: Tx,
  ctx: CallContext,
  input: { user?: string | undefined },
): Promise<AvatarChange> {
  const target = await resolveOwnOrManaged(tx, ctx, input.user, 'avatar');
  const replaced = await lockAvatarFile(tx, target.id);
  if (!replaced) return { user: await viewWithTenant(tx, target), written: null, replaced: null };
  const [updated] = await tx
    .update(users)
    .set({ avatarFile: null, updatedAt: new Date() })
    .where(eq(users.id, target.id))
    .returning();
  if (!updated) throw new AppError('not_found', 'The user disappeared while being updated.');
  return { user: await viewWithTenant(tx, updated), written: null, replaced };
}
