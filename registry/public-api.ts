import { and, asc, eq, gt, ilike, or } from 'drizzle-orm';
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { Db } from '../core/db/connection.ts';
import { AppError } from '../core/errors.ts';
import { registryServices } from './schema.ts';
import { NAMESPACE, serverResponse } from './server-json.ts';

const t = registryServices;
const DEFAULT_LIMIT = 30;
const MAX_LIMIT = 100;

// Cursors are opaque to clients: the last id of a page, base64url-encoded.
const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

function limitOf(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw new AppError('bad_request', `limit must be a whole number from 1 to ${MAX_LIMIT}.`, {
      fields: [{ field: 'limit', message: `a whole number from 1 to ${MAX_LIMIT}` }],
    });
  }
  return n;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** The service id behind a server name (`io.bizosaas/<id>`), or undefined for names not ours. */
function idOf(name: string): string | undefined {
  const [namespace, id, ...rest] = name.split('/');
  return namespace === NAMESPACE && id && rest.length === 0 ? id : undefined;
}

async function activeService(db: Db, name: string) {
  const id = idOf(name);
  const [row] = id
    ? await db
        .select()
        .from(t)
        .where(and(eq(t.id, id), eq(t.status, 'active')))
    : [];
  if (!row) throw new AppError('not_found', `Server not found: ${name}`);
  return row;
}

const handle =
  (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) =>
    fn(req, res).catch(next);

/**
 * The public registry API (`/v0`), in the official MCP Registry's format so registry-aware
 * clients can browse the catalog: active services only, read-only, no sign-in.
 */
export function publicRegistryApi(db: Db): Router {
  const router = Router();
  router.use('/v0', (_req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*').set('Cache-Control', 'public, max-age=60');
    next();
  });

  router.get(
    '/v0/servers',
    handle(async (req, res) => {
      const limit = limitOf(req.query.limit);
      const cursor = text(req.query.cursor);
      const search = text(req.query.search);
      const like = search && `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = await db
        .select()
        .from(t)
        .where(
          and(
            eq(t.status, 'active'),
            cursor ? gt(t.id, decodeCursor(cursor)) : undefined,
            like ? or(ilike(t.id, like), ilike(t.name, like)) : undefined,
          ),
        )
        .orderBy(asc(t.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      res.json({
        servers: page.map(serverResponse),
        metadata: {
          count: page.length,
          ...(rows.length > limit && last ? { nextCursor: encodeCursor(last.id) } : {}),
        },
      });
    }),
  );

  router.get(
    '/v0/servers/:name',
    handle(async (req, res) => {
      res.json(serverResponse(await activeService(db, String(req.params.name))));
    }),
  );

  router.get(
    '/v0/servers/:name/versions',
    handle(async (req, res) => {
      const found = serverResponse(await activeService(db, String(req.params.name)));
      res.json({ servers: [found], metadata: { count: 1 } });
    }),
  );

  router.get(
    '/v0/servers/:name/versions/:version',
    handle(async (req, res) => {
      const found = serverResponse(await activeService(db, String(req.params.name)));
      const version = String(req.params.version);
      if (version !== 'latest' && version !== found.server.version) {
        throw new AppError('not_found', `Version ${version} of ${found.server.name} not found.`);
      }
      res.json(found);
    }),
  );

  // Read-only: publishing goes through the registry's management tools, not this API.
  router.all('/v0/{*rest}', (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    res
      .status(405)
      .set('Allow', 'GET')
      .json({ error: { code: 'bad_request', message: 'The public registry API is read-only: use GET.' } });
  });
  return router;
}
