import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { TenantScope } from '../../core/call-context.ts';
import type { Db } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Features, Role } from '../../core/roles.ts';
import { hashToken, newSecretToken } from '../../core/tokens.ts';
import { API_KEY_PREFIX, issueApiKey } from './api-keys.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';
import { apiKeys, type Branding, invitations, sessions, tenants, userCredentials, users } from './schema.ts';

/**
 * The identity store the gateway's auth layer uses before any principal exists (login, cookie
 * and bearer lookups). These run as the database owner, outside row-level security, because they
 * establish who the caller is; everything after that goes through tools.
 */

export interface PrincipalRecord {
  userId: string;
  email: string;
  name: string;
  role: Role;
  tenantId: string;
  tenant: {
    id: string;
    slug: string;
    name: string;
    kind: string;
    parentId: string | null;
    tier: string;
    /** What the console is themed with: the tenant's own branding, else its parent partner's. */
    branding?: Branding;
  };
  features: Features;
  categories: string[];
  tenantScope: TenantScope;
  mustResetPassword: boolean;
  timezone: string;
  language: string;
  avatarUrl: string | null;
}

const parentTenants = alias(tenants, 'parent_tenant');

/** Everything the gateway needs to build a principal, or undefined when the account cannot act. */
export async function loadPrincipal(db: Db, userId: string): Promise<PrincipalRecord | undefined> {
  const [row] = await db
    .select({
      user: users,
      tenant: tenants,
      parentBranding: parentTenants.branding,
      mustReset: userCredentials.mustReset,
    })
    .from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .leftJoin(parentTenants, eq(parentTenants.id, tenants.parentId))
    .leftJoin(userCredentials, eq(userCredentials.userId, users.id))
    .where(eq(users.id, userId))
    .limit(1);
  if (row?.user.status !== 'active') return undefined;
  const { user, tenant } = row;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    tenantId: tenant.id,
    tenant: {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      kind: tenant.kind,
      parentId: tenant.parentId,
      tier: tenant.tier,
      // A partner's clients see the partner's brand unless they have one of their own.
      branding: Object.keys(tenant.branding).length > 0 ? tenant.branding : (row.parentBranding ?? {}),
    },
    features: user.features,
    categories: user.role === 'sub_admin' ? user.scopes.categories : [],
    tenantScope: await tenantScopeOf(db, user.role, user.tenantId, user.scopes.tenants),
    mustResetPassword: row.mustReset ?? false,
    timezone: user.timezone,
    language: user.language,
    avatarUrl: user.avatarFile ? `/api/avatars/${user.avatarFile}` : null,
  };
}

/** Staff see every tenant (sub-admins their scoped ones), partners theirs and their clients', clients their own. */
async function tenantScopeOf(db: Db, role: Role, tenantId: string, scoped: string[]): Promise<TenantScope> {
  if (role === 'super_admin' || role === 'admin') return '*';
  if (role === 'sub_admin') return [...scoped];
  if (role === 'client') return [tenantId];
  const children = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.parentId, tenantId));
  return [tenantId, ...children.map((c) => c.id)];
}

/** The user id for a correct email and password of an active account; undefined otherwise. */
export async function checkPassword(db: Db, email: string, password: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: users.id, status: users.status, hash: userCredentials.passwordHash })
    .from(users)
    .leftJoin(userCredentials, eq(userCredentials.userId, users.id))
    .where(eq(users.email, email.trim().toLowerCase()))
    .limit(1);
  const ok = await verifyPassword(row?.hash ?? undefined, password);
  return ok && row?.status === 'active' ? row.id : undefined;
}

export interface NewSession {
  id: string;
  token: string;
  expiresAt: Date;
}

/**
 * Opens a server-side session; the token goes in the cookie, only its hash in the database. A
 * session at stage `mfa` authenticates nothing until `completeSignIn` promotes it.
 */
export async function createSession(
  db: Db,
  input: {
    userId: string;
    ip?: string | undefined;
    userAgent?: string | undefined;
    ttlHours: number;
    stage?: 'active' | 'mfa';
  },
): Promise<NewSession> {
  const [user] = await db.select({ tenantId: users.tenantId }).from(users).where(eq(users.id, input.userId));
  if (!user) throw new AppError('not_found', 'No such user.');
  const token = newSecretToken();
  const id = newId('session');
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  await db.insert(sessions).values({
    id,
    tokenHash: hashToken(token),
    userId: input.userId,
    tenantId: user.tenantId,
    ip: input.ip?.slice(0, 64) ?? null,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    expiresAt,
    stage: input.stage ?? 'active',
  });
  if (input.stage !== 'mfa')
    await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, input.userId));
  return { id, token, expiresAt };
}

// Writing last_seen on every request would turn every read into a write; once a minute is enough.
const TOUCH_AFTER_MS = 60_000;

/** The live session behind a cookie token: not revoked, not expired. Checked on every request. */
export async function resolveSession(
  db: Db,
  token: string,
): Promise<{ sessionId: string; userId: string } | undefined> {
  const now = new Date();
  const [row] = await db
    .select({ id: sessions.id, userId: sessions.userId, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(
      and(
        eq(sessions.tokenHash, hashToken(token)),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        // A session still waiting for its second factor authenticates nothing.
        eq(sessions.stage, 'active'),
      ),
    )
    .limit(1);
  if (!row) return undefined;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.id));
  }
  return { sessionId: row.id, userId: row.userId };
}

/** Ends one session (logout). */
export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Issues an API key for a user by email (operator command). */
export async function createApiKeyFor(db: Db, email: string, name: string) {
  const [user] = await db
    .select({ id: users.id, tenantId: users.tenantId, status: users.status })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()));
  if (!user) throw new AppError('not_found', `No user with the email ${email}.`);
  if (user.status !== 'active')
    throw new AppError('conflict', `${email} is not an active account (status ${user.status}).`);
  return issueApiKey(db, user, name);
}

// As with sessions, the last-used time is written at most once a minute per key.
const KEY_TOUCH_AFTER_MS = 60_000;

/** The owner of a live API key; revoked keys are refused on the very next request. */
export async function resolveApiKey(
  db: Db,
  key: string,
): Promise<{ apiKeyId: string; userId: string } | undefined> {
  if (!key.startsWith(API_KEY_PREFIX)) return undefined;
  const [row] = await db
    .select({ id: apiKeys.id, userId: apiKeys.userId, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashToken(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return undefined;
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > KEY_TOUCH_AFTER_MS) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  }
  return { apiKeyId: row.id, userId: row.userId };
}

/** The account an email names, for commands run by an operator (CLI). */
export async function findUserIdByEmail(db: Db, email: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()));
  return row?.id;
}

/** Sets a password and activates an invited account, once, before the invitation expires. */
export async function acceptInvitation(db: Db, token: string, password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('bad_request', `password: must be at least ${MIN_PASSWORD_LENGTH} characters`, {
      field: 'password',
    });
  }
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.tokenHash, hashToken(token)), isNull(invitations.acceptedAt)))
      .for('update')
      .limit(1);
    if (!invite || invite.expiresAt < new Date()) {
      throw new AppError('not_found', 'This invitation link is invalid, used or expired; ask for a new one.');
    }
    await tx.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, invite.id));
    await tx
      .update(users)
      .set({ status: 'active', updatedAt: new Date() })
      .where(eq(users.id, invite.userId));
    await tx
      .insert(userCredentials)
      .values({ userId: invite.userId, tenantId: invite.tenantId, passwordHash })
      .onConflictDoUpdate({ target: userCredentials.userId, set: { passwordHash, updatedAt: new Date() } });
    return invite.userId;
  });
}

/** Deletes sessions that ended long ago, so the table does not grow without bound. */
export async function pruneSessions(db: Db, olderThanDays = 30): Promise<void> {
  const cutoff = new Date(Date.now() - olderThanDays * 86_400_000);
  await db.delete(sessions).where(or(lt(sessions.expiresAt, cutoff), lt(sessions.revokedAt, cutoff)));
}

export { liveImpersonation } from './impersonation.ts';
export { completeSignIn, MFA_PENDING_MINUTES, pendingSignIn, secondFactorRequired } from './mfa-login.ts';
