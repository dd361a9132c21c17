import type http from 'node:http';
import express from 'express';
import type { DomainServer, ServerDeps } from './define-server.ts';
import { answerStateless } from './stateless-http.ts';

/**
 * Serves a domain server over Streamable HTTP (stateless) at `/mcp`, for running it as its own
 * process. Callers still need a call context signed by the gateway, so the port is not an open door.
 */
export function serveOverHttp(
  domain: DomainServer,
  deps: ServerDeps,
  options: { port: number; host?: string },
): Promise<http.Server> {
  const app = express();
  app.use(express.json({ limit: '8mb' }));
  app.post('/mcp', async (req, res) => {
    await answerStateless(domain.create(deps), req, res);
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', server: domain.name });
  });
  return new Promise((resolve) => {
    const listener = app.listen(options.port, options.host ?? '127.0.0.1', () => resolve(listener));
  });
}
