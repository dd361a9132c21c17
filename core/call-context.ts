import { jwtVerify, SignJWT } from 'jose';
import { AppError } from './errors.ts';
import { type Features, isRole, normalizeFeatures, type Role } from './roles.ts';

/** How a call reached the gateway. */
export type Via = 'session' | 'api_key' | 'impersonation' | 'system' | 'task';

/** Tenants a principal may read: every tenant, or a list of tenant ids. */
export type TenantScope = '*' | readonly string[];

/**
 * Who is calling and what they may touch, as the gateway established it. Servers receive it
 * signed and take identity only from here, never from tool arguments.
 */
export interface CallContext {
  userId: string;
  email: string;
  tenantId: string;
  /** The tenant's plan (starter, pro, enterprise): what it may use of the marketplace. */
  tenantTier: string;
  role: Role;
  tenantScope: TenantScope;
  features: Features;
  /** Registry categories a sub-admin is scoped to. */
  categories: readonly string[];
  /** The real actor when a super admin is viewing the platform as this user. */
  impersonatorId?: string | undefined;
  impersonatorEmail?: string | undefined;
  sessionId?: string | undefined;
  apiKeyId?: string | undefined;
  via: Via;
  /** IANA time zone and BCP 47 language the caller's dates and texts are formatted for. */
  timezone: string;
  language: string;
}

/** Keys of the request `_meta` that carry the context to a server. */
export const META_CONTEXT = 'bizosaas/context';
export const META_REQUEST_ID = 'bizosaas/requestId';

const ISSUER = 'bizosaas-gateway';
const AUDIENCE = 'bizosaas-server';
export const CONTEXT_TTL_SECONDS = 120;

/** Signs a context for servers (HS256, short-lived). */
export async function signCallContext(ctx: CallContext, key: Uint8Array): Promise<string> {
  return new SignJWT({
    email: ctx.email,
    tid: ctx.tenantId,
    tier: ctx.tenantTier,
    role: ctx.role,
    scope: ctx.tenantScope,
    feat: ctx.features,
    cats: ctx.categories,
    imp: ctx.impersonatorId,
    impe: ctx.impersonatorEmail,
    sid: ctx.sessionId,
    kid: ctx.apiKeyId,
    via: ctx.via,
    tz: ctx.timezone,
    lang: ctx.language,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(ctx.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${CONTEXT_TTL_SECONDS}s`)
    .sign(key);
}

/** Verifies a signed context and returns it with its expiry (epoch seconds). */
export async function verifyCallContext(
  token: string,
  key: Uint8Array,
): Promise<{ ctx: CallContext; exp: number }> {
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    }));
  } catch {
    throw new AppError(
      'unauthenticated',
      'The call context is missing, expired or not signed by this platform.',
    );
  }
  const scope = payload.scope;
  if (
    typeof payload.sub !== 'string' ||
    typeof payload.tid !== 'string' ||
    typeof payload.email !== 'string' ||
    !isRole(payload.role) ||
    !(scope === '*' || (Array.isArray(scope) && scope.every((s) => typeof s === 'string'))) ||
    typeof payload.exp !== 'number'
  ) {
    throw new AppError('unauthenticated', 'The call context is malformed.');
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    exp: payload.exp,
    ctx: {
      userId: payload.sub,
      email: payload.email as string,
      tenantId: payload.tid,
      tenantTier: str(payload.tier) ?? 'starter',
      role: payload.role,
      tenantScope: scope as TenantScope,
      features: normalizeFeatures(payload.feat as Record<string, unknown>),
      categories: Array.isArray(payload.cats)
        ? payload.cats.filter((c): c is string => typeof c === 'string')
        : [],
      impersonatorId: str(payload.imp),
      impersonatorEmail: str(payload.impe),
      sessionId: str(payload.sid),
      apiKeyId: str(payload.kid),
      via: (str(payload.via) as CallContext['via']) ?? 'system',
      timezone: str(payload.tz) ?? 'UTC',
      language: str(payload.lang) ?? 'en',
    },
  };
}

/** Whether a tenant lies inside a context's read scope. */
export function inTenantScope(ctx: Pick<CallContext, 'tenantScope'>, tenantId: string): boolean {
  return ctx.tenantScope === '*' || ctx.tenantScope.includes(tenantId);
}
