import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
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

/** Notification channels and the events a user can be told about on each. */
export const NOTIFICATION_CHANNELS = ['email', 'inApp'] as const;
export const NOTIFICATION_EVENTS = ['securityAlerts', 'leadUpdates', 'reviewAlerts', 'billing'] as const;
export type NotificationPrefs = Record<
  (typeof NOTIFICATION_CHANNELS)[number],
  Record<(typeof NOTIFICATION_EVENTS)[number], boolean>
>;
export const DEFAULT_NOTIFICATION_PREFS: NotificationPrefs = {
  email: { securityAlerts: true, leadUpdates: true, reviewAlerts: true, billing: true },
  inApp: { securityAlerts: true, leadUpdates: true, reviewAlerts: true, billing: true },
};

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
    /** IANA time zone the platform formats this user's dates in. */
    timezone: text('timezone').notNull().default('UTC'),
    /** BCP 47 language tag. */
    language: text('language').notNull().default('en'),
    /** File name of the avatar under the avatars directory; its version makes the URL cache-busting. */
    avatarFile: text('avatar_file'),
    notificationPrefs: jsonb('notification_prefs')
      .$type<NotificationPrefs>()
      .notNull()
      .default(DEFAULT_NOTIFICATION_PREFS),
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
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    /** The TOTP secret, encrypted (AES-256-GCM) with the credentials key; set once MFA is confirmed. */
    mfaSecret: text('mfa_secret'),
    /** A secret being enrolled, not yet confirmed with a first code. */
    mfaPendingSecret: text('mfa_pending_secret'),
    mfaEnabledAt: timestamp('mfa_enabled_at', { withTimezone: true }),
    /** The last TOTP time step accepted, so a code cannot be replayed within its window. */
    mfaLastStep: bigint('mfa_last_step', { mode: 'number' }),
    updatedAt: updatedAt(),
  },
  (t) => [tenantIsolation('user_credentials', t.tenantId), ownRows('user_credentials', t.userId, t.tenantId)],
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
    /** `mfa` while the password was right but the second factor is still to come; `active` after. */
    stage: text('stage').$type<'active' | 'mfa'>().notNull().default('active'),
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

/** Single-use MFA recovery codes, stored hashed. */
export const mfaRecoveryCodes = pgTable(
  'mfa_recovery_codes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: text('tenant_id').notNull(),
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    index('mfa_recovery_codes_user_idx').on(t.userId),
    tenantIsolation('mfa_recovery_codes', t.tenantId),
    ownRows('mfa_recovery_codes', t.userId, t.tenantId),
  ],
);

/** "View As" grants: a super admin acting as another user until it expires or is ended. */
export const impersonations = pgTable(
  'impersonations',
  {
    id: text('id').primaryKey(),
    actorId: text('actor_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subjectId: text('subject_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The subject's tenant. */
    tenantId: text('tenant_id').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('impersonations_actor_idx').on(t.actorId), tenantIsolation('impersonations', t.tenantId)],
);
