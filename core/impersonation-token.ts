import { jwtVerify, SignJWT } from 'jose';
import { AppError } from './errors.ts';

const ISSUER = 'bizosaas';
const AUDIENCE = 'bizosaas-impersonation';
export const IMPERSONATION_TTL_SECONDS = 15 * 60;

export interface ImpersonationClaims {
  /** The impersonation grant, so it can be ended before it expires. */
  id: string;
  /** The user being viewed as. */
  subjectId: string;
  /** The super admin acting (RFC 8693 `act` claim). */
  actorId: string;
  expiresAt: Date;
}

/** A short-lived "View As" token: `sub` is the subject, `act.sub` the actor (RFC 8693 §4.1), `jti` the grant. */
export async function signImpersonationToken(
  claims: Omit<ImpersonationClaims, 'expiresAt'>,
  key: Uint8Array,
) {
  const expiresAt = new Date(Date.now() + IMPERSONATION_TTL_SECONDS * 1000);
  const token = await new SignJWT({ act: { sub: claims.actorId } })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subjectId)
    .setJti(claims.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
  return { token, expiresAt };
}

/** Whether a bearer token looks like a JWT (three base64url parts), as opposed to an API key. */
export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

export async function verifyImpersonationToken(token: string, key: Uint8Array): Promise<ImpersonationClaims> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const actor = (payload.act as { sub?: unknown } | undefined)?.sub;
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.jti !== 'string' ||
      typeof actor !== 'string' ||
      typeof payload.exp !== 'number'
    ) {
      throw new Error('malformed');
    }
    return {
      id: payload.jti,
      subjectId: payload.sub,
      actorId: actor,
      expiresAt: new Date(payload.exp * 1000),
    };
  } catch {
    throw new AppError('unauthenticated', 'This impersonation token is not valid or has expired.');
  }
}
