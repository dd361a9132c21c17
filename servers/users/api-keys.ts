import { and, desc, eq, isNull } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Db, Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { roleHas } from '../../core/roles.ts';
import { hashToken, newSecretToken } from '../../core/tokens.ts';
import { resolveUser } from './refs.ts';
import { assertCanManageUser } from './role-rules.ts';
import { apiKeys } from './schema.ts';

export const API_KEY_PREFIX = 'bzs_';

/** Issues a key for a user; the key is returned this once and stored only as a hash. */
export async function issueApiKey(db: Db | Tx, user: { id: string; tenantId: string }, name: string) {
  const key = newSecretToken(API_KEY_PREFIX);
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: newId('apiKey'),
      userId: user.id,
      tenantId: user.tenantId,
      name,
      prefix: key.slice(0, API_KEY_PREFIX.length + 8),
      keyHash: hashToken(key),
    })
    .returning();
  if (!row) throw new AppError('internal', 'The API key was not saved.');
  return { id: row.id, name: row.name, prefix: row.prefix, key, createdAt: row.createdAt.toISOString() };
}

function keyView(row: typeof apiKeys.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** A user whose keys the caller may see or revoke: themself, or someone they manage. */
async function keyOwner(tx: Tx, ctx: CallContext, ref: string | undefined) {
  const owner = await resolveUser(tx, ref ?? ctx.userId);
  if (owner.id !== ctx.userId) {
    if (!roleHas(ctx.role, 'users.write'))
      throw new AppError('forbidden', 'You can only manage your own API keys.');
    assertCanManageUser(ctx, owner);
  }
  return owner;
}

export async function createOwnApiKey(tx: Tx, ctx: CallContext, name: string) {
  return issueApiKey(tx, { id: ctx.userId, tenantId: ctx.tenantId }, name);
}

export async function listApiKeys(tx: Tx, ctx: CallContext, ref: string | undefined) {
  const owner = await keyOwner(tx, ctx, ref);
  const rows = await tx
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.userId, owner.id))
    .orderBy(desc(apiKeys.createdAt));
  return { user: { id: owner.id, email: owner.email }, keys: rows.map(keyView) };
}

/** Revokes a key; the next request made with it is refused. */
export async function revokeApiKey(tx: Tx, ctx: CallContext, keyId: string) {
  const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, keyId)).limit(1);
  if (!row) throw new AppError('not_found', `No API key ${keyId} that you can access.`, { field: 'key' });
  const owner = await keyOwner(tx, ctx, row.userId);
  const [revoked] = await tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, row.id), isNull(apiKeys.revokedAt)))
    .returning();
  return {
    user: { id: owner.id, email: owner.email, tenantId: owner.tenantId },
    key: keyView(revoked ?? row),
    alreadyRevoked: !revoked,
  };
}
