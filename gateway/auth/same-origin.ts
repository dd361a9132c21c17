import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../core/errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF guard for cookie sessions: a state-changing request carrying the session cookie must come
 * from our own origin. Browsers send `Origin` (and `Sec-Fetch-Site`) on cross-site requests;
 * bearer-authenticated calls are not at risk and pass.
 */
export function sameOriginForCookies(req: Request, _res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method) || req.authVia !== 'cookie') {
    next();
    return;
  }
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site') {
    next(new AppError('forbidden', 'Cross-site requests are not accepted.'));
    return;
  }
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.headers.host) {
      next(new AppError('forbidden', 'Cross-site requests are not accepted.'));
      return;
    }
  }
  next();
}
