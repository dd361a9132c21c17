import type { Principal } from '../principal.ts';

/** What the console and scripts learn about the signed-in caller. */
export function meView(p: Principal) {
  return {
    user: {
      id: p.userId,
      email: p.email,
      name: p.name,
      role: p.role,
      // `tenant.branding` is the effective one: the tenant's own, else its parent partner's.
      tenant: { ...p.tenant, branding: p.tenant.branding ?? {} },
      features: p.features,
      timezone: p.timezone,
      language: p.language,
      avatarUrl: p.avatarUrl,
      ...(p.role === 'sub_admin' ? { categories: p.categories } : {}),
    },
    impersonator: p.impersonatorId ? { id: p.impersonatorId, email: p.impersonatorEmail ?? null } : null,
    via: p.via,
    mustResetPassword: p.mustResetPassword,
  };
}
