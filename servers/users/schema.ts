import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  jsonb,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { ownRows, tenantIsolation } from '../../core/db/policies.ts';
import type { Features, Role } from '../../core/roles.ts';

export type TenantKind = 'platform' | 'partner' | 'client';
export type TenantTier = 'starter' | 'pro' | 'enterprise';
export interface Branding {
  productName?: string;
  primaryColor?: string;
  logoUrl?: string;
}
export interface UserScopes {
  tenants: string[];
  categories: string[];
}
export type UserStatus = 'active' | 'invited' | 'disabled';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const tenants = pgTable(
  'tenants',
  {
    id: text('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<TenantKind>().notNull(),
    parentId: text('parent_id').references((): AnyPgColumn => tenants.id),
    tier: text('tier').$type<TenantTier>().notNull().default('starter'),
    branding: jsonb('branding').$type<Branding>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('tenants_slug_key').on(t.slug),
    index('tenants_parent_idx').on(t.parentId),
    // A tenant row is the tenant itself: visible inside the scope, and one's own tenant always.
    pgPolicy('tenants_visible', {
      for: 'all',
      to: 'public',
      using: sql`bizosaas_tenant_visible(${t.id}) or ${t.id} = current_setting('app.home_tenant_id', true)`,
      withCheck: sql`bizosaas_tenant_visible(${t.id})`,
    }),
  ],
);

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    status: text('status').$type<UserStatus>().notNull().default('active'),
    phone: text('phone'),
    jobTitle: text('job_title'),
    features: jsonb('features').$type<Features>().notNull(),
    scopes: jsonb('scopes').$type<UserScopes>().notNull().default({ tenants: [], categories: [] }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    index('users_tenant_idx').on(t.tenantId),
    index('users_role_idx').on(t.role),
    tenantIsolation('users', t.tenantId),
    ownRows('users', t.id, t.tenantId),
  ],
);

/** Secrets kept apart from the profile so no user query can return them by accident. */
export const userCredentials = pgTable(
  'user_credentials',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: text('tenant_id').notNull(),
    passwordHash: text('password_hash').notNull(),
    mustReset: boolean('must_reset').notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [tenantIsolation('user_credentials', t.tenantId)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: text('tenant_id').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('sessions_token_hash_key').on(t.tokenHash),
    index('sessions_user_idx').on(t.userId),
    tenantIsolation('sessions', t.tenantId),
    ownRows('sessions', t.userId, t.tenantId),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    /** The first characters of the key, shown in lists so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_keys_key_hash_key').on(t.keyHash),
    index('api_keys_user_idx').on(t.userId),
    tenantIsolation('api_keys', t.tenantId),
    ownRows('api_keys', t.userId, t.tenantId),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: text('tenant_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: text('invited_by').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_key').on(t.tokenHash),
    tenantIsolation('invitations', t.tenantId),
  ],
);
