import type http from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import express from 'express';
import { z } from 'zod';
import { listen } from '../gateway/platform.ts';
import { answerStateless } from '../servers/kit/stateless-http.ts';
import { identity } from '../servers/users/index.ts';
import { compare, measure } from './measure.ts';
import { mountPingServer } from './ping-server.ts';
import { benchPlatform } from './setup.ts';

/** A bare SDK server: stateless Streamable HTTP on Express with one trivial tool, nothing else. */
async function bareServer(): Promise<{ url: string; server: http.Server }> {
  const app = express();
  app.use(express.json());
  app.post('/mcp', async (req, res) => {
    const server = new McpServer({ name: 'bare', version: '0.0.0' });
    server.registerTool('ping', { inputSchema: { n: z.number().optional() } }, async ({ n }) => ({
      content: [{ type: 'text', text: String(n ?? 0) }],
    }));
    await answerStateless(server.server, req, res);
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp` }),
    );
  });
}

async function connect(url: string, headers: Record<string, string> = {}) {
  const client = new Client({ name: 'bench', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** The same trivial tool through the gateway's `/mcp` (API key auth, policy, audit) and on a bare SDK server. */
export async function mcpOverHttp(iterations: number) {
  const world = await benchPlatform();
  const bare = await bareServer();
  const gateway = await listen(world.platform, 0, '127.0.0.1');
  try {
    await mountPingServer(world.platform);
    const { key } = await identity.createApiKeyFor(world.platform.database.db, 'ops@bizosaas.test', 'bench');
    const viaGateway = await connect(`${gateway.url}/mcp`, { Authorization: `Bearer ${key}` });
    const viaBare = await connect(bare.url);
    const result = await compare(
      3,
      () => measure(iterations, (i) => viaGateway.callTool({ name: 'bench_ping', arguments: { n: i } })),
      () => measure(iterations, (i) => viaBare.callTool({ name: 'ping', arguments: { n: i } })),
    );
    await viaGateway.close();
    await viaBare.close();
    return result;
  } finally {
    await new Promise((resolve) => gateway.server.close(resolve));
    await new Promise((resolve) => bare.server.close(resolve));
    await world.close();
  }
}
