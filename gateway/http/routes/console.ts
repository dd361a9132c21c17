import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, Router } from 'express';

/** The web console's sources (`web/`) and its build output (`web/dist`). */
export const CONSOLE_ROOT = fileURLToPath(new URL('../../../web/', import.meta.url));
export const CONSOLE_DIST = path.join(CONSOLE_ROOT, 'dist');
const INDEX_HTML = path.join(CONSOLE_DIST, 'index.html');

// Paths that belong to the API, the MCP endpoint, health and the registry's public API: a miss
// there is a JSON 404, never the console's page.
const NOT_CONSOLE = /^\/(api|mcp|healthz|v0)(\/|$)/;

/** Whether `web/dist` holds a built console. */
export function consoleBuilt(): boolean {
  return fs.existsSync(INDEX_HTML);
}

/** Builds the console into `web/dist` with Vite's JS API (Vite is loaded only when a build is needed). */
export async function buildConsole(options: { quiet?: boolean } = {}): Promise<void> {
  const { build } = await import('vite');
  await build({ root: CONSOLE_ROOT, logLevel: options.quiet ? 'error' : 'warn' });
}

/**
 * Serves the built console: hashed assets cached for a year, and `index.html` for every other GET
 * outside the API (the console routes in the browser). Mounted last, before the 404 handler.
 * Without a build, `/` answers what it did before the console existed.
 */
export function consoleRoutes(): Router {
  const router = Router();
  const assets = express.static(CONSOLE_DIST, {
    index: false,
    setHeaders: (res, file) => {
      const hashed = file.startsWith(path.join(CONSOLE_DIST, 'assets') + path.sep);
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  router.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_CONSOLE.test(req.path)) return next();
    if (!consoleBuilt()) {
      if (req.path !== '/') return next();
      res.json({
        name: 'BizOSaaS',
        docs: 'See README.md',
        mcp: '/mcp',
        api: '/api',
        console: 'npm run build',
      });
      return;
    }
    assets(req, res, () => {
      // A missing file (a dot in the last segment) stays a 404; anything else is a console route.
      if (path.posix.basename(req.path).includes('.')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(INDEX_HTML);
    });
  });
  return router;
}
