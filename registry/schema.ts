import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { tenantIsolation } from '../core/db/policies.ts';

export const SERVICE_STATUSES = ['active', 'deprecated', 'removed'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];
export const TIERS = ['starter', 'pro', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];
export const AUTH_KINDS = ['none', 'api_key', 'oauth'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** How the gateway reaches a service's MCP server: a program it starts, or a URL it calls. */
export type ConnectionConfig =
  | { transport: 'stdio'; command: string; args: string[]; env: Record<string, string> }
  | { transport: 'http'; url: string };

/** A value a tenant supplies when connecting (an environment variable for stdio servers). */
export interface CredentialField {
  name: string;
  label: string;
  description?: string | undefined;
  required: boolean;
  secret: boolean;
}

/** Where the server is published, for the public registry API (`packages` of server.json). */
export interface PackageRef {
  registryType: 'npm';
  identifier: string;
  version: string;
}

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/**
 * The MCP catalog: platform data, not owned by any tenant (everyone may browse it; only the
 * registry server's management tools change it, behind the registry.manage permission).
 */
export const registryServices = pgTable(
  'registry_services',
  {
    /** Lowercase letters, digits and dashes: also the `<service>` prefix of its mounted tools. */
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    category: text('category').notNull(),
    vendor: text('vendor').notNull(),
    description: text('description'),
    website: text('website'),
    affiliateUrl: text('affiliate_url'),
    featured: boolean('featured').notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(0),
    onboardingVisible: boolean('onboarding_visible').notNull().default(false),
    tiers: jsonb('tiers').$type<Tier[]>().notNull().default(['starter', 'pro', 'enterprise']),
    status: text('status').$type<ServiceStatus>().notNull().default('active'),
    newInJanuary2026: boolean('new_in_january_2026').notNull().default(false),
    /** Marked as integrated (✅) in the product description. */
    integrated: boolean('integrated').notNull().default(false),
    connection: jsonb('connection').$type<ConnectionConfig>(),
    auth: text('auth').$type<AuthKind>().notNull().default('none'),
    credentialFields: jsonb('credential_fields').$type<CredentialField[]>().notNull().default([]),
    package: jsonb('package').$type<PackageRef>(),
    version: text('version').notNull().default('1.0.0'),
    /** Who added it through registry_add_service; null for the catalog file's services. */
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('registry_services_name_key').on(sql`lower(${t.name})`),
    index('registry_services_category_idx').on(t.category, t.sortOrder),
  ],
);

const removedService = (serviceId: AnyPgColumn) =>
  sql`exists (select 1 from registry_services s where s.id = ${serviceId} and s.status = 'removed')`;

/** A tenant's connection to a catalog service, with its credentials encrypted at rest. */
export const registryConnections = pgTable(
  'registry_connections',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    serviceId: text('service_id')
      .notNull()
      .references(() => registryServices.id),
    /** `encryptSecret` of the JSON object field → value; null when the service needs none. */
    credentials: text('credentials'),
    /** Which credential fields are set (names only, never values). */
    credentialNames: jsonb('credential_names').$type<string[]>().notNull().default([]),
    connectedBy: text('connected_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    credentialsRotatedAt: timestamp('credentials_rotated_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('registry_connections_tenant_service_key').on(t.tenantId, t.serviceId),
    index('registry_connections_service_idx').on(t.serviceId),
    tenantIsolation('registry_connections', t.tenantId),
    // Removing a service from the catalog disconnects every tenant, including tenants outside the
    // remover's scope (a sub-admin's). The rows of a removed service may be read and deleted by
    // anyone (a delete with a condition needs the select policy too); they live only until the end
    // of the transaction that marks the service removed.
    pgPolicy('registry_connections_removed_read', {
      for: 'select',
      to: 'public',
      using: removedService(t.serviceId),
    }),
    pgPolicy('registry_connections_removed_delete', {
      for: 'delete',
      to: 'public',
      using: removedService(t.serviceId),
    }),
  ],
);
