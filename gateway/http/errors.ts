import type { NextFunction, Request, Response } from 'express';
import { AppError, toAppError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';

/** Body-parser failures as the person who sent the body would want them explained. */
function fromBodyParser(error: unknown): AppError | undefined {
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.parse.failed')
    return new AppError('bad_request', 'The request body is not valid JSON.');
  if (type === 'entity.too.large') return new AppError('bad_request', 'The request body is too large.');
  return undefined;
}

/** The HTTP door's error mapping: status from the code, `{ error: { code, message, details } }` as the body. */
export function errorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const appError = fromBodyParser(error) ?? toAppError(error);
    if (appError.code === 'internal')
      log.error({ err: error, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return void res.end();
    res.status(appError.httpStatus).json({ error: appError.toBody() });
  };
}

export function notFound(req: Request, _res: Response, next: NextFunction): void {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}.`));
}
