/** Platform roles, most privileged first. */
export const ROLES = ['super_admin', 'admin', 'sub_admin', 'partner', 'client'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that work for the platform itself rather than for a business. */
export const STAFF_ROLES: readonly Role[] = ['super_admin', 'admin', 'sub_admin'];
/** Roles only a super admin may grant or take away. */
export const ELEVATED_ROLES: readonly Role[] = ['super_admin', 'admin'];

/** Per-user feature toggles; each gates a whole group of tools. */
export const FEATURES = ['ai', 'crm', 'reviews', 'analytics', 'billing'] as const;
export type Feature = (typeof FEATURES)[number];
export type Features = Record<Feature, boolean>;

export const DEFAULT_FEATURES: Features = {
  ai: true,
  crm: true,
  reviews: true,
  analytics: true,
  billing: true,
};

/** Normalises a stored toggle set: unknown keys dropped, missing keys take the default. */
export function normalizeFeatures(value: Partial<Record<string, unknown>> | null | undefined): Features {
  const out = { ...DEFAULT_FEATURES };
  for (const f of FEATURES) if (typeof value?.[f] === 'boolean') out[f] = value[f] as boolean;
  return out;
}

/**
 * Permissions a tool can require. Data-dependent limits (whose role, which tenant) are
 * checked by the server that owns the data; this table is the coarse first wall.
 */
export const PERMISSIONS = [
  'profile.self',
  'users.read',
  'users.write',
  'users.roles',
  'users.features',
  /** "View As": acting as another user. */
  'users.impersonate',
  'audit.read',
  /** Verifying the audit hash chain across the whole platform. */
  'audit.verify',
  /** Talking to agents: conversations, memory, own settings and tasks. */
  'agents.use',
  /** Defining a tenant's agents and reading its agent usage. */
  'agents.manage',
  /** Leads, customers and their timeline (gated by the `crm` feature). */
  'crm.read',
  'crm.write',
  /** Reviews, replies, templates, reputation data (gated by the `reviews` feature). */
  'reviews.read',
  'reviews.write',
  /** Managing the MCP catalog (a sub-admin only within their registry categories). */
  'registry.manage',
  /** The marketplace: browsing, connecting and using a tenant's MCP services. */
  'registry.use',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  super_admin: new Set(PERMISSIONS),
  admin: new Set(PERMISSIONS.filter((p) => p !== 'users.impersonate')),
  sub_admin: new Set<Permission>([
    'agents.use',
    'registry.manage',
    'registry.use',
    'crm.read',
    'crm.write',
    'reviews.read',
    'reviews.write',
    'profile.self',
    'users.read',
    'users.write',
    'users.features',
    'audit.read',
  ]),
  partner: new Set<Permission>([
    'agents.use',
    'registry.use',
    'crm.read',
    'crm.write',
    'reviews.read',
    'reviews.write',
    'agents.manage',
    'profile.self',
    'users.read',
    'users.write',
    'users.roles',
    'users.features',
    'audit.read',
  ]),
  client: new Set<Permission>([
    'agents.use',
    'registry.use',
    'crm.read',
    'crm.write',
    'reviews.read',
    'reviews.write',
    'profile.self',
    'users.read',
  ]),
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether a role holds a permission. */
export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
