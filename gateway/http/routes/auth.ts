import { type Request, type Response, Router } from 'express';
import type passport from 'passport';
import { z } from 'zod';
import type { AuditBatcher } from '../../../core/audit/batch-writer.ts';
import type { Db } from '../../../core/db/connection.ts';
import { AppError } from '../../../core/errors.ts';
import { identity } from '../../../servers/users/index.ts';
import { loginRateLimit } from '../../auth/login-limit.ts';
import { clearSessionCookie, setSessionCookie } from '../../auth/session-cookie.ts';
import { toPrincipal } from '../../principal.ts';
import { meView } from '../me-view.ts';
import { parseBody } from '../validate.ts';

export interface AuthRouteDeps {
  db: Db;
  passport: passport.PassportStatic;
  audit: AuditBatcher;
  sessionTtlHours: number;
  loginLimit: number;
  secureCookies: boolean;
}

const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});
const acceptBody = z.strictObject({
  token: z.string().min(16).max(256),
  password: z.string().min(1).max(1024),
});

/** Sign-in, sign-out and invitation acceptance: the only routes that create sessions. */
export function authRoutes(deps: AuthRouteDeps): Router {
  const router = Router();

  async function startSession(req: Request, res: Response, userId: string) {
    const session = await identity.createSession(deps.db, {
      userId,
      ip: req.ip,
      userAgent: req.get('user-agent'),
      ttlHours: deps.sessionTtlHours,
    });
    setSessionCookie(res, session.token, session.expiresAt, deps.secureCookies);
    const record = await identity.loadPrincipal(deps.db, userId);
    if (!record) throw new AppError('unauthenticated', 'This account is not active.');
    const principal = toPrincipal(record, { via: 'session', sessionId: session.id });
    deps.audit.push({
      userId,
      userEmail: record.email,
      tenantId: record.tenantId,
      via: 'session',
      tool: 'auth_login',
      target: userId,
      outcome: 'ok',
    });
    return meView(principal);
  }

  router.post('/api/auth/login', loginRateLimit(deps.loginLimit), (req, res, next) => {
    let body: z.output<typeof loginBody>;
    try {
      body = parseBody(loginBody, req.body);
    } catch (error) {
      return next(error);
    }
    deps.passport.authenticate(
      'local',
      { session: false },
      (error: unknown, user: { id: string } | false) => {
        if (error) return next(error);
        if (!user) {
          deps.audit.push({
            via: 'session',
            tool: 'auth_login',
            target: body.email.toLowerCase(),
            outcome: 'unauthenticated',
            error: 'wrong email or password',
          });
          return next(new AppError('unauthenticated', 'Email or password is incorrect.'));
        }
        startSession(req, res, user.id).then((me) => res.json(me), next);
      },
    )(req, res, next);
  });

  router.post('/api/auth/logout', async (req, res) => {
    const p = req.principal;
    if (p?.sessionId) {
      await identity.endSession(deps.db, p.sessionId);
      deps.audit.push({
        userId: p.userId,
        userEmail: p.email,
        tenantId: p.tenantId,
        via: 'session',
        tool: 'auth_logout',
        target: p.sessionId,
        outcome: 'ok',
      });
    }
    clearSessionCookie(res, deps.secureCookies);
    res.status(204).end();
  });

  router.post('/api/auth/invitations/accept', loginRateLimit(deps.loginLimit), async (req, res) => {
    const body = parseBody(acceptBody, req.body);
    const userId = await identity.acceptInvitation(deps.db, body.token, body.password);
    res.json(await startSession(req, res, userId));
  });

  return router;
}
