import { type Request, type Response, Router } from 'express';
import type passport from 'passport';
import { z } from 'zod';
import type { AuditBatcher } from '../../../core/audit/batch-writer.ts';
import type { Db } from '../../../core/db/connection.ts';
import { AppError } from '../../../core/errors.ts';
import { attemptLimit } from '../../../servers/users/attempt-limit.ts';
import { identity } from '../../../servers/users/index.ts';
import { loginRateLimit } from '../../auth/login-limit.ts';
import { clearSessionCookie, sessionToken, setSessionCookie } from '../../auth/session-cookie.ts';
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
  /** Decrypts TOTP secrets to check the second factor of a sign-in (the key the users server was given). */
  credentialsKey: Uint8Array;
}

const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});
const acceptBody = z.strictObject({
  token: z.string().min(16).max(256),
  password: z.string().min(1).max(1024),
});
const secondFactorBody = z.strictObject({
  code: z.string().trim().min(6).max(32),
});

/**
 * Sign-in (the password, then the second factor when MFA is on), sign-out and invitation
 * acceptance: the only routes that create sessions.
 */
export function authRoutes(deps: AuthRouteDeps): Router {
  const router = Router();
  // Per account, on top of the per-address limit: an attacker who has the password must not get
  // enough tries at the six digits, from however many addresses.
  const wrongCodes = attemptLimit({
    max: 10,
    windowMs: 15 * 60_000,
    message: 'Too many wrong codes; wait 15 minutes, then sign in again.',
  });

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

  /** After a correct password: a full session, or, with MFA on, one waiting for the second factor. */
  async function startLogin(req: Request, res: Response, userId: string) {
    const account = await identity.secondFactorRequired(deps.db, userId);
    if (!account) return startSession(req, res, userId);
    const session = await identity.createSession(deps.db, {
      userId,
      ip: req.ip,
      userAgent: req.get('user-agent'),
      ttlHours: identity.MFA_PENDING_MINUTES / 60,
      stage: 'mfa',
    });
    setSessionCookie(res, session.token, session.expiresAt, deps.secureCookies);
    deps.audit.push({
      userId,
      userEmail: account.email,
      tenantId: account.tenantId,
      via: 'session',
      tool: 'auth_login',
      target: userId,
      args: { secondFactor: 'required' },
      outcome: 'ok',
    });
    return { mfaRequired: true };
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
        startLogin(req, res, user.id).then((answer) => res.json(answer), next);
      },
    )(req, res, next);
  });

  router.post('/api/auth/mfa/verify', loginRateLimit(deps.loginLimit), async (req, res) => {
    const body = parseBody(secondFactorBody, req.body);
    const token = sessionToken(req);
    const signIn = token ? await identity.pendingSignIn(deps.db, token) : undefined;
    if (!signIn) {
      throw new AppError(
        'unauthenticated',
        'No sign-in is waiting for a second factor (it may have expired); sign in with your email and password.',
      );
    }
    const audit = {
      userId: signIn.userId,
      userEmail: signIn.email,
      tenantId: signIn.tenantId,
      via: 'session',
      tool: 'auth_mfa_verify',
      target: signIn.userId,
    };
    wrongCodes.assertAllowed(signIn.userId);
    const step = await identity.completeSignIn(deps.db, deps.credentialsKey, {
      sessionId: signIn.sessionId,
      code: body.code,
      ttlHours: deps.sessionTtlHours,
    });
    if (!step.ok) {
      wrongCodes.failed(signIn.userId);
      deps.audit.push({ ...audit, outcome: 'unauthenticated', error: 'wrong or used code' });
      throw new AppError(
        'unauthenticated',
        'That code is not valid: use the current code from your authenticator app (each is accepted once) or an unused recovery code.',
      );
    }
    wrongCodes.succeeded(signIn.userId);
    setSessionCookie(res, step.token, step.expiresAt, deps.secureCookies);
    const record = await identity.loadPrincipal(deps.db, signIn.userId);
    if (!record) throw new AppError('unauthenticated', 'This account is not active.');
    deps.audit.push({ ...audit, args: { method: step.method }, outcome: 'ok' });
    res.json(meView(toPrincipal(record, { via: 'session', sessionId: signIn.sessionId })));
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
    // A sign-in still waiting for its second factor is abandoned with the cookie.
    const token = p ? undefined : sessionToken(req);
    const signIn = token ? await identity.pendingSignIn(deps.db, token) : undefined;
    if (signIn) await identity.endSession(deps.db, signIn.sessionId);
    clearSessionCookie(res, deps.secureCookies);
    res.status(204).end();
  });

  router.post('/api/auth/invitations/accept', loginRateLimit(deps.loginLimit), async (req, res) => {
    const body = parseBody(acceptBody, req.body);
    const userId = await identity.acceptInvitation(deps.db, body.token, body.password);
    res.json(await startLogin(req, res, userId));
  });

  return router;
}
