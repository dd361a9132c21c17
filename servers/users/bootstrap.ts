import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../core/db/connection.ts';
import { AppError, fromZodError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { FEATURES, normalizeFeatures, ROLES } from '../../core/roles.ts';
import { hashPassword } from './passwords.ts';
import { tenants, userCredentials, users } from './schema.ts';

/** The platform's own tenant, created on first start; staff accounts live in it. */
export const PLATFORM_TENANT = {
  slug: 'hq',
  name: 'BizOSaaS HQ',
  kind: 'platform',
  tier: 'enterprise',
} as const;

async function upsertTenant(
  db: Db,
  t: {
    slug: string;
    name: string;
    kind: 'platform' | 'partner' | 'client';
    tier: 'starter' | 'pro' | 'enterprise';
    parentId?: string | null;
    branding?: Record<string, string>;
  },
) {
  const values = {
    name: t.name,
    kind: t.kind,
    tier: t.tier,
    parentId: t.parentId ?? null,
    branding: t.branding ?? {},
    updatedAt: new Date(),
  };
  const [row] = await db
    .insert(tenants)
    .values({ id: newId('tenant'), slug: t.slug, ...values })
    .onConflictDoUpdate({ target: tenants.slug, set: values })
    .returning();
  if (!row) throw new AppError('internal', `Tenant ${t.slug} was not saved.`);
  return row;
}

interface SeedUser {
  email: string;
  name: string;
  tenantId: string;
  role: (typeof ROLES)[number];
  jobTitle?: string | undefined;
  features?: Partial<Record<string, boolean>> | undefined;
  scopes?: { tenants: string[]; categories: string[] } | undefined;
  passwordHash: string;
}

async function upsertUser(db: Db, u: SeedUser) {
  const values = {
    name: u.name,
    tenantId: u.tenantId,
    role: u.role,
    status: 'active' as const,
    jobTitle: u.jobTitle ?? null,
    features: normalizeFeatures(u.features),
    scopes: u.scopes ?? { tenants: [], categories: [] },
    updatedAt: new Date(),
  };
  const email = u.email.toLowerCase();
  const [row] = await db
    .insert(users)
    .values({ id: newId('user'), email, ...values })
    .onConflictDoUpdate({ target: users.email, set: values })
    .returning();
  if (!row) throw new AppError('internal', `User ${email} was not saved.`);
  await db
    .insert(userCredentials)
    .values({ userId: row.id, tenantId: row.tenantId, passwordHash: u.passwordHash })
    .onConflictDoUpdate({
      target: userCredentials.userId,
      set: { tenantId: row.tenantId, passwordHash: u.passwordHash, mustReset: false, updatedAt: new Date() },
    });
  return row;
}

/**
 * First start: the platform tenant and, when no super admin exists yet, the first one. Returns
 * the generated password when none was configured, so it can be shown once.
 */
export async function ensurePlatform(db: Db, admin: { email: string; password?: string | undefined }) {
  return db.transaction(async (tx) => {
    let [hq] = await tx.select().from(tenants).where(eq(tenants.slug, PLATFORM_TENANT.slug));
    hq ??= await upsertTenant(tx, PLATFORM_TENANT);
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.role, 'super_admin'))
      .limit(1);
    if (existing) return { created: false as const };
    const password = admin.password ?? randomBytes(12).toString('base64url');
    await upsertUser(tx, {
      email: admin.email,
      name: 'Platform Admin',
      tenantId: hq.id,
      role: 'super_admin',
      passwordHash: await hashPassword(password),
    });
    return {
      created: true as const,
      email: admin.email,
      generatedPassword: admin.password ? undefined : password,
    };
  });
}

const demoSchema = z.object({
  password: z.string().min(8),
  tenants: z.array(
    z.object({
      slug: z.string().min(1),
      name: z.string().min(1),
      kind: z.enum(['platform', 'partner', 'client']),
      tier: z.enum(['starter', 'pro', 'enterprise']),
      parent: z.string().optional(),
      branding: z.record(z.string(), z.string()).optional(),
    }),
  ),
  users: z.array(
    z.object({
      email: z.email(),
      name: z.string().min(1),
      tenant: z.string(),
      role: z.enum(ROLES),
      jobTitle: z.string().optional(),
      features: z.partialRecord(z.enum(FEATURES), z.boolean()).optional(),
      scopes: z
        .object({ tenants: z.array(z.string()).default([]), categories: z.array(z.string()).default([]) })
        .optional(),
    }),
  ),
});
export type DemoData = z.input<typeof demoSchema>;

/** Loads demo tenants and users (with the demo password), creating or updating them by slug and email. */
export async function seedDemo(db: Db, data: unknown) {
  const parsed = demoSchema.safeParse(data);
  if (!parsed.success) throw fromZodError(parsed.error, 'demo data');
  const demo = parsed.data;
  const passwordHash = await hashPassword(demo.password);
  return db.transaction(async (tx) => {
    const bySlug = new Map<string, string>();
    // Parents first, so a client tenant can point at its partner.
    const ordered = [...demo.tenants].sort((a, b) => Number(Boolean(a.parent)) - Number(Boolean(b.parent)));
    for (const t of ordered) {
      const parentId = t.parent ? bySlug.get(t.parent) : null;
      if (t.parent && !parentId)
        throw new AppError('bad_request', `Demo tenant ${t.slug} names an unknown parent ${t.parent}.`);
      const row = await upsertTenant(tx, { ...t, parentId });
      bySlug.set(t.slug, row.id);
    }
    const tenantId = (slug: string) => {
      const id = bySlug.get(slug);
      if (!id) throw new AppError('bad_request', `Demo data names an unknown tenant ${slug}.`);
      return id;
    };
    for (const u of demo.users) {
      await upsertUser(tx, {
        ...u,
        tenantId: tenantId(u.tenant),
        scopes: u.scopes
          ? { tenants: u.scopes.tenants.map(tenantId), categories: u.scopes.categories }
          : undefined,
        passwordHash,
      });
    }
    return { tenants: demo.tenants.length, users: demo.users.length };
  });
}
