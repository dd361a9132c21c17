import type http from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import type { DomainServer, ServerDeps } from './define-server.ts';

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
  app.use(express.json({ limit: '1mb' }));
  app.post('/mcp', async (req, res) => {
    const server = domain.create(deps);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', server: domain.name });
  });
  return new Promise((resolve) => {
    const listener = app.listen(options.port, options.host ?? '127.0.0.1', () => resolve(listener));
  });
}
