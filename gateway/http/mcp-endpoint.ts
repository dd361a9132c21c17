import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Router } from 'express';
import { AppError, toAppError } from '../../core/errors.ts';
import { errorResult } from '../../servers/kit/tool-result.ts';
import { principalOf, requireAuth } from '../auth/authenticate.ts';
import type { Gateway } from '../call-tool.ts';
import type { Principal } from '../principal.ts';

/** An MCP server whose tools are exactly the principal's tools, each call going through the gateway. */
function gatewayMcpServer(gateway: Gateway, principal: Principal): Server {
  const server = new Server(
    { name: 'bizosaas', title: 'BizOSaaS', version: '0.1.0' },
    {
      capabilities: { tools: {} },
      instructions: `Tools of ${principal.email} (${principal.role}) on BizOSaaS.`,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: gateway.listTools(principal).map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: t.inputSchema,
      annotations: t.annotations,
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    try {
      return await gateway.callToolResult(principal, request.params.name, request.params.arguments ?? {});
    } catch (error) {
      return errorResult(toAppError(error));
    }
  });
  return server;
}

/**
 * `/mcp`: Streamable HTTP in stateless mode, one MCP server per request bound to the caller, so
 * any gateway process behind a load balancer can answer any request.
 */
export function mcpEndpoint(gateway: Gateway): Router {
  const router = Router();
  router.post('/mcp', requireAuth, async (req, res) => {
    const server = gatewayMcpServer(gateway, principalOf(req));
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
  // Stateless: no server-initiated stream to resume and no session to end.
  router.all('/mcp', requireAuth, (_req, _res, next) => {
    next(new AppError('bad_request', 'This MCP endpoint is stateless: send JSON-RPC requests with POST.'));
  });
  return router;
}
