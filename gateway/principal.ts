import type { CallContext, Via } from '../core/call-context.ts';
import type { PrincipalRecord } from '../servers/users/identity.ts';

/** The caller as the gateway knows it: the call context servers receive, plus what people see. */
export interface Principal extends CallContext {
  name: string;
  tenant: PrincipalRecord['tenant'];
  mustResetPassword: boolean;
  avatarUrl: string | null;
  /** Identifies this exact set of rights, so a signed context can be reused for it. */
  cacheKey: string;
}

export interface How {
  via: Via;
  sessionId?: string | undefined;
  apiKeyId?: string | undefined;
  impersonator?: { id: string; email: string } | undefined;
}

/** Builds a principal from the identity store's record and how the caller authenticated. */
export function toPrincipal(record: PrincipalRecord, how: How): Principal {
  const base: CallContext = {
    userId: record.userId,
    email: record.email,
    tenantId: record.tenantId,
    tenantTier: record.tenant.tier,
    role: record.role,
    tenantScope: record.tenantScope,
    features: record.features,
    categories: record.categories,
    impersonatorId: how.impersonator?.id,
    impersonatorEmail: how.impersonator?.email,
    sessionId: how.sessionId,
    apiKeyId: how.apiKeyId,
    via: how.via,
    timezone: record.timezone,
    language: record.language,
  };
  return {
    ...base,
    name: record.name,
    tenant: record.tenant,
    mustResetPassword: record.mustResetPassword,
    avatarUrl: record.avatarUrl,
    cacheKey: contextKey(base),
  };
}

/** A principal for a call made from inside a server on behalf of a verified context. */
export function principalFromContext(ctx: CallContext): Principal {
  return {
    ...ctx,
    name: ctx.email,
    tenant: {
      id: ctx.tenantId,
      slug: ctx.tenantId,
      name: ctx.tenantId,
      kind: 'unknown',
      parentId: null,
      tier: ctx.tenantTier,
    },
    mustResetPassword: false,
    avatarUrl: null,
    cacheKey: contextKey(ctx),
  };
}

function contextKey(ctx: CallContext): string {
  return JSON.stringify([
    ctx.userId,
    ctx.email,
    ctx.tenantId,
    ctx.tenantTier,
    ctx.role,
    ctx.tenantScope,
    ctx.features,
    ctx.categories,
    ctx.impersonatorId ?? null,
    ctx.impersonatorEmail ?? null,
    ctx.sessionId ?? null,
    ctx.apiKeyId ?? null,
    ctx.via,
    ctx.timezone,
    ctx.language,
  ]);
}
