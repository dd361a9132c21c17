import { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import multer from 'multer';
import type { Config } from '../../../core/config.ts';
import { AppError } from '../../../core/errors.ts';
import { avatarPath } from '../../../servers/users/avatars.ts';
import { principalOf, requireAuth } from '../../auth/authenticate.ts';
import type { Gateway } from '../../call-tool.ts';

const FIELD = 'avatar';
const YEAR_SECONDS = 31_536_000;

/** multer failures (size, unexpected field, malformed form) as bad_request naming the field. */
function uploadError(error: unknown, maxBytes: number): AppError {
  const code = (error as { code?: unknown })?.code;
  if (code === 'LIMIT_FILE_SIZE')
    return new AppError('bad_request', `The avatar is larger than the ${maxBytes} bytes allowed.`, {
      field: FIELD,
      maxBytes,
    });
  if (code === 'LIMIT_UNEXPECTED_FILE' || code === 'LIMIT_FILE_COUNT')
    return new AppError('bad_request', `Send one image, in the multipart form field "${FIELD}".`, {
      field: FIELD,
    });
  return new AppError('bad_request', `The multipart form could not be read: ${(error as Error).message}.`, {
    field: FIELD,
  });
}

/** Buffers the one image of a multipart upload in memory, refusing it past `maxBytes` while it streams in. */
function receiveAvatar(maxBytes: number): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 11 },
  }).single(FIELD);
  return (req, res, next) =>
    upload(req, res, (error?: unknown) => next(error ? uploadError(error, maxBytes) : undefined));
}

/**
 * The profile preferences the console reaches over HTTP, thin adapters over the users tools:
 * avatar upload and removal (`users_set_avatar`, `users_remove_avatar`), notification
 * preferences (`users_get_…`, `users_set_notification_preferences`); plus serving avatar files.
 *
 * Serving needs a signed-in user (any, whatever their tenant) and nothing more: file names carry
 * 128 random bits and appear only in user views the reader was allowed to see, and being signed
 * in keeps them off the open web. Served `private` and `immutable`: every upload gets a new name.
 */
export function profileRoutes(gateway: Gateway, avatars: Config['avatars']): Router {
  const router = Router();
  router.post('/api/me/avatar', requireAuth, receiveAvatar(avatars.maxBytes), async (req, res) => {
    if (!req.file)
      throw new AppError('bad_request', `Send the image as the multipart form field "${FIELD}".`, {
        field: FIELD,
      });
    res.json(
      await gateway.callTool(principalOf(req), 'users_set_avatar', {
        image: req.file.buffer.toString('base64'),
      }),
    );
  });
  router.delete('/api/me/avatar', requireAuth, async (req, res) => {
    res.json(await gateway.callTool(principalOf(req), 'users_remove_avatar', {}));
  });
  router.get('/api/avatars/:file', requireAuth, (req: Request, res: Response, next: NextFunction) => {
    const missing = () => new AppError('not_found', 'No such avatar.');
    const file = avatarPath(avatars.dir, String(req.params.file));
    if (!file) return next(missing());
    // Set only once the file is found, so a 404 still answers as JSON.
    const headers = {
      'Content-Type': 'image/webp',
      'Cache-Control': `private, max-age=${YEAR_SECONDS}, immutable`,
    };
    res.sendFile(
      file,
      { headers, cacheControl: false, lastModified: false },
      (error?: NodeJS.ErrnoException) => {
        // After the headers went out (the client hung up mid-file) there is nothing left to answer.
        if (!error || res.headersSent) return;
        next(error.code === 'ENOENT' || (error as { status?: number }).status === 404 ? missing() : error);
      },
    );
  });
  router.get('/api/me/notification-preferences', requireAuth, async (req, res) => {
    res.json(await gateway.callTool(principalOf(req), 'users_get_notification_preferences', {}));
  });
  router.put('/api/me/notification-preferences', requireAuth, async (req, res) => {
    res.json(
      await gateway.callTool(principalOf(req), 'users_set_notification_preferences', {
        preferences: req.body ?? {},
      }),
    );
  });
  return router;
}
