import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Router } from 'express';
import { toAppError } from '../../core/errors.ts';
import { answerStateless } from '../../servers/kit/stateless-http.ts';
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
    await answerStateless(gatewayMcpServer(gateway, principalOf(req)), req, res);
  });
  // Stateless: no server-initiated stream to resume and no session to end (MCP says 405 here).
  router.all('/mcp', requireAuth, (_req, res) => {
    res
      .status(405)
      .set('Allow', 'POST')
      .json({
        error: {
          code: 'bad_request',
          message: 'This MCP endpoint is stateless: send JSON-RPC requests with POST.',
        },
      });
  });
  return router;
}
