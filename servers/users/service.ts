import { and, asc, count, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { isUniqueViolation } from '../../core/db/errors.ts';
import { AppError } from '../../core/errors.ts';
import { emitEvent } from '../../core/events/emit.ts';
import { newId } from '../../core/ids.ts';
import { DEFAULT_FEATURES, type Feature, type Features, type Role, roleHas } from '../../core/roles.ts';
import { hashToken, newSecretToken } from '../../core/tokens.ts';
import { resolveTenant, resolveUserWithTenant, type TenantRow, type UserRow } from './refs.ts';
import { assertCanAssignRole, assertCanManageUser } from './role-rules.ts';
import { invitations, tenants, users } from './schema.ts';
import { type UserView, userView } from './views.ts';

export const INVITATION_TTL_DAYS = 7;

export interface ListUsersInput {
  query?: string | undefined;
  role?: Role | undefined;
  tenant?: string | undefined;
  status?: UserRow['status'] | undefined;
  sort: 'name' | 'email' | 'role' | 'createdAt';
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

const SORT_COLUMNS = { name: users.name, email: users.email, role: users.role, createdAt: users.createdAt };

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Users the caller can see, filtered, sorted and paged; row-level security bounds the tenants. */
export async function listUsers(tx: Tx, _ctx: CallContext, input: ListUsersInput) {
  const conditions: SQL[] = [];
  if (input.query) {
    const pattern = `%${escapeLike(input.query.trim())}%`;
    conditions.push(
      or(ilike(users.name, pattern), ilike(users.email, pattern), ilike(users.jobTitle, pattern)) as SQL,
    );
  }
  if (input.role) conditions.push(eq(users.role, input.role));
  if (input.status) conditions.push(eq(users.status, input.status));
  if (input.tenant) conditions.push(eq(users.tenantId, (await resolveTenant(tx, input.tenant)).id));
  const where = conditions.length ? and(...conditions) : undefined;

  const column = SORT_COLUMNS[input.sort];
  const rows = await tx
    .select({ user: users, tenant: { id: tenants.id, slug: tenants.slug, name: tenants.name } })
    .from(users)
    .leftJoin(tenants, eq(tenants.id, users.tenantId))
    .where(where)
    .orderBy(input.order === 'asc' ? asc(column) : desc(column), asc(users.id))
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize);
  const [total] = await tx.select({ n: count() }).from(users).where(where);
  return {
    items: rows.map((r) => userView(r.user, r.tenant)),
    page: input.page,
    pageSize: input.pageSize,
    total: total?.n ?? 0,
  };
}

/** One user, by id or email. */
export async function getUser(tx: Tx, _ctx: CallContext, ref: string): Promise<UserView> {
  const { user, tenant } = await resolveUserWithTenant(tx, ref);
  return userView(user, tenant);
}

export interface InviteInput {
  email: string;
  name: string;
  role: Role;
  tenant?: string | undefined;
  jobTitle?: string | undefined;
  phone?: string | undefined;
}

/** Creates an invited user (no password yet) and a one-time invitation to set one. */
export async function inviteUser(tx: Tx, ctx: CallContext, input: InviteInput, publicUrl: string) {
  const tenant: TenantRow = input.tenant
    ? await resolveTenant(tx, input.tenant)
    : await resolveTenant(tx, ctx.tenantId);
  assertCanAssignRole(ctx, tenant.id, input.role);
  const email = input.email.toLowerCase();
  const [user] = await tx
    .insert(users)
    .values({
      id: newId('user'),
      tenantId: tenant.id,
      email,
      name: input.name.trim(),
      role: input.role,
      status: 'invited',
      jobTitle: input.jobTitle ?? null,
      phone: input.phone ?? null,
      features: { ...DEFAULT_FEATURES },
    })
    .returning()
    .catch((error: unknown) => {
      // Emails are unique platform-wide, including tenants the caller cannot see.
      if (isUniqueViolation(error))
        throw new AppError('conflict', `A user with the email ${email} already exists.`, { field: 'email' });
      throw error;
    });
  if (!user) throw new AppError('internal', 'The user was not created.');
  const token = newSecretToken();
  const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000);
  await tx.insert(invitations).values({
    id: newId('invitation'),
    userId: user.id,
    tenantId: tenant.id,
    tokenHash: hashToken(token),
    invitedBy: ctx.userId,
    expiresAt,
  });
  await emitEvent(tx, ctx, {
    tenantId: tenant.id,
    name: 'users.user_created',
    payload: { userId: user.id, email: user.email, name: user.name, role: user.role },
  });
  return {
    user: userView(user, tenant),
    invitation: {
      url: `${publicUrl.replace(/\/$/, '')}/invite/${token}`,
      expiresAt: expiresAt.toISOString(),
    },
  };
}

export interface ProfileInput {
  user?: string | undefined;
  name?: string | undefined;
  phone?: string | null | undefined;
  jobTitle?: string | null | undefined;
}

/** Updates name, phone or job title: one's own always, another's with `users.write` over them. */
export async function updateProfile(tx: Tx, ctx: CallContext, input: ProfileInput): Promise<UserView> {
  const { user: target, tenant } = await resolveUserWithTenant(tx, input.user ?? ctx.userId);
  if (target.id !== ctx.userId) {
    if (!roleHas(ctx.role, 'users.write'))
      throw new AppError('forbidden', 'You can only change your own profile.');
    assertCanManageUser(ctx, target);
  }
  const changes: Partial<typeof users.$inferInsert> = { updatedAt: new Date() };
  if (input.name !== undefined) changes.name = input.name.trim();
  if (input.phone !== undefined) changes.phone = input.phone || null;
  if (input.jobTitle !== undefined) changes.jobTitle = input.jobTitle || null;
  const [updated] = await tx.update(users).set(changes).where(eq(users.id, target.id)).returning();
  if (!updated) throw new AppError('not_found', 'The user disappeared while being updated.');
  return userView(updated, tenant);
}

export interface SetRoleInput {
  user: string;
  role: Role;
  scopes?: { tenants?: string[] | undefined; categories?: string[] | undefined } | undefined;
}

/** Changes a user's role under the platform's role rules; sub-admins get their scopes here. */
export async function setRole(tx: Tx, ctx: CallContext, input: SetRoleInput): Promise<UserView> {
  const { user: target, tenant } = await resolveUserWithTenant(tx, input.user);
  assertCanAssignRole(ctx, target.tenantId, input.role, target);
  if (input.scopes && input.role !== 'sub_admin') {
    throw new AppError('bad_request', 'scopes only apply to the sub_admin role.', { field: 'scopes' });
  }
  if (target.role === 'super_admin' && input.role !== 'super_admin') {
    // Locked, so two super admins demoting each other at once cannot both succeed: the second
    // waits, then sees the first one's change.
    const supers = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'super_admin'), eq(users.status, 'active')))
      .for('update');
    if (!supers.some((s) => s.id === ctx.userId)) {
      throw new AppError('forbidden', 'Your super admin role was removed while this request was running.');
    }
    if (!supers.some((s) => s.id !== target.id)) {
      throw new AppError('conflict', 'This is the last super admin; promote someone else first.');
    }
  }
  let scopes = { tenants: [] as string[], categories: [] as string[] };
  if (input.role === 'sub_admin') {
    const refs = input.scopes?.tenants ?? target.scopes.tenants;
    const ids = [];
    for (const ref of refs) ids.push((await resolveTenant(tx, ref)).id);
    scopes = {
      tenants: [...new Set(ids)],
      categories: [...new Set(input.scopes?.categories ?? target.scopes.categories)],
    };
  }
  const [updated] = await tx
    .update(users)
    .set({ role: input.role, scopes, updatedAt: new Date() })
    .where(eq(users.id, target.id))
    .returning();
  if (!updated) throw new AppError('not_found', 'The user disappeared while being updated.');
  return userView(updated, tenant);
}

/** Turns feature groups on or off for a user; features not named keep their value. */
export async function setFeatures(
  tx: Tx,
  ctx: CallContext,
  input: { user: string; features: Partial<Record<Feature, boolean>> },
): Promise<UserView> {
  const { user: target, tenant } = await resolveUserWithTenant(tx, input.user);
  // Toggles are limits set by someone above you; only a super admin (nobody above) sets their own.
  if (target.id === ctx.userId && ctx.role !== 'super_admin') {
    throw new AppError('forbidden', 'You cannot change your own feature toggles; ask an administrator.');
  }
  assertCanManageUser(ctx, target);
  const features: Features = { ...target.features, ...input.features };
  const [updated] = await tx
    .update(users)
    .set({ features, updatedAt: new Date() })
    .where(eq(users.id, target.id))
    .returning();
  if (!updated) throw new AppError('not_found', 'The user disappeared while being updated.');
  return userView(updated, tenant);
}
