import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../../core/errors.ts';

const WINDOW_MS = 15 * 60_000;

/**
 * Failed logins per address and email in a 15-minute window; successful logins do not count.
 * In-memory: with several gateway processes, put a shared store here.
 */
export function loginRateLimit(limit: number) {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
      return `${ipKeyGenerator(req.ip ?? '')}|${email}`;
    },
    handler: (_req, _res, next) => {
      next(
        new AppError('rate_limited', 'Too many failed sign-in attempts; wait a few minutes and try again.'),
      );
    },
  });
}
