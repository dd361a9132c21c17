import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { verifyCallContext } from '../../core/call-context.ts';
import type { Db } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { looksLikeJwt, verifyImpersonationToken } from '../../core/impersonation-token.ts';
import { identity } from '../../servers/users/index.ts';
import { type How, type Principal, principalFromContext, toPrincipal } from '../principal.ts';
import { sessionToken } from './session-cookie.ts';

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
      /** How the principal authenticated, when by cookie (CSRF checks apply only then). */
      authVia?: 'cookie' | 'bearer' | 'context';
    }
  }
}

function credentials(req: Request, scheme: 'bearer' | 'context'): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [given, value] = header.split(' ', 2);
  return given?.toLowerCase() === scheme && value ? value.trim() : undefined;
}

/**
 * Resolves the caller from `Authorization: Bearer <api key>`, the session cookie, or (for domain
 * servers in other processes) `Authorization: Context <signed call context>`, on every
 * request (so a revoked session or key is refused at once), and attaches the principal.
 * It never refuses by itself; `requireAuth` does.
 */
export function authenticate(
  db: Db,
  keys: { contextKey: Uint8Array; impersonationKey: Uint8Array },
): RequestHandler {
  return async (req, _res, next) => {
    try {
      const context = credentials(req, 'context');
      if (context) {
        // A domain server in another process calling back on behalf of a call it is serving.
        req.principal = principalFromContext((await verifyCallContext(context, keys.contextKey)).ctx);
        req.authVia = 'context';
        return next();
      }
      const token = credentials(req, 'bearer');
      let userId: string | undefined;
      let how: How | undefined;
      if (token && looksLikeJwt(token)) {
        req.principal = await impersonationPrincipal(db, token, keys.impersonationKey);
        req.authVia = 'bearer';
        return next();
      }
      if (token) {
        const key = await identity.resolveApiKey(db, token);
        if (!key) throw new AppError('unauthenticated', 'This API key is not valid or has been revoked.');
        userId = key.userId;
        how = { via: 'api_key', apiKeyId: key.apiKeyId };
        req.authVia = 'bearer';
      } else {
        const cookie = sessionToken(req);
        const session = cookie ? await identity.resolveSession(db, cookie) : undefined;
        if (session) {
          userId = session.userId;
          how = { via: 'session', sessionId: session.sessionId };
          req.authVia = 'cookie';
        }
      }
      if (userId && how) {
        const record = await identity.loadPrincipal(db, userId);
        if (!record) throw new AppError('unauthenticated', 'This account is not active.');
        req.principal = toPrincipal(record, how);
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

/**
 * "View As": the subject's principal with the actor as impersonator. The grant must still be live
 * (ended or expired grants are refused at once) and the actor still an active super admin.
 */
async function impersonationPrincipal(db: Db, token: string, key: Uint8Array): Promise<Principal> {
  const claims = await verifyImpersonationToken(token, key);
  const grant = await identity.liveImpersonation(db, claims.id);
  if (!grant || grant.actorId !== claims.actorId || grant.subjectId !== claims.subjectId) {
    throw new AppError('unauthenticated', 'This impersonation has ended or expired.');
  }
  const actor = await identity.loadPrincipal(db, claims.actorId);
  if (actor?.role !== 'super_admin')
    throw new AppError('unauthenticated', 'The impersonating account is no longer a super admin.');
  const subject = await identity.loadPrincipal(db, claims.subjectId);
  if (!subject) throw new AppError('unauthenticated', 'The impersonated account is not active.');
  return toPrincipal(subject, {
    via: 'impersonation',
    impersonator: { id: actor.userId, email: actor.email },
  });
}

/** Refuses requests without a principal with 401 (and a Bearer challenge for API clients). */
export function requireAuth(req: Request, res: Response, next: NextFunction): void {
  if (req.principal) {
    next();
    return;
  }
  res.setHeader('WWW-Authenticate', 'Bearer realm="bizosaas"');
  next(new AppError('unauthenticated', 'Sign in, or send an API key as Authorization: Bearer <key>.'));
}

/** The authenticated principal of a request that passed `requireAuth`. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new AppError('unauthenticated', 'Not signed in.');
  return req.principal;
}
