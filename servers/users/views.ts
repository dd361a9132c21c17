import type { Features, Role } from '../../core/roles.ts';
import type { TenantRow, UserRow } from './refs.ts';
import type { UserScopes, UserStatus } from './schema.ts';

/** A user as tools return it: profile, role, rights and tenant; never credentials. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  tenant: { id: string; slug: string; name: string } | null;
  phone: string | null;
  jobTitle: string | null;
  features: Features;
  scopes?: UserScopes;
  timezone: string;
  language: string;
  /** Changes whenever the image does, so caches never show an old one. */
  avatarUrl: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function userView(
  user: UserRow,
  tenant: Pick<TenantRow, 'id' | 'slug' | 'name'> | null | undefined,
): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    tenant: tenant ? { id: tenant.id, slug: tenant.slug, name: tenant.name } : null,
    phone: user.phone,
    jobTitle: user.jobTitle,
    features: user.features,
    ...(user.role === 'sub_admin' ? { scopes: user.scopes } : {}),
    timezone: user.timezone,
    language: user.language,
    avatarUrl: user.avatarFile ? `/api/avatars/${user.avatarFile}` : null,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
