import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { z } from 'zod';
import { META_CONTEXT, signCallContext } from '../core/call-context.ts';
import { defineServer } from '../servers/kit/define-server.ts';
import { defineTool } from '../servers/kit/tool.ts';
import { compare, measure } from './measure.ts';
import { benchPlatform } from './setup.ts';

// A read tool that touches no table, to see the gateway's own cost without the database's.
const pingServer = defineServer({
  name: 'bench',
  version: '0.0.0',
  tools: [
    defineTool({
      name: 'ping',
      title: 'Ping',
      description: 'Answers pong.',
      input: z.strictObject({ n: z.number().int().optional() }),
      access: { permission: 'profile.self', scope: 'self' },
      annotations: { readOnlyHint: true },
      handler: async (args) => ({ pong: args.n ?? 0 }),
    }),
  ],
});

/** Read calls through `gateway.callTool` against the same tool called on the server's MCP client directly. */
export async function gatewayOverhead(iterations: number) {
  const world = await benchPlatform();
  try {
    const { platform } = world;
    const ops = await world.as('ops@bizosaas.test');
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await pingServer
      .create({ db: platform.database.db, contextKey: platform.keys.key('call-context'), log: platform.log })
      .connect(serverSide);
    await platform.gateway.host.mount('bench', clientSide);
    const bareClient = platform.gateway.host.client('bench') as Client;
    const usersClient = platform.gateway.host.client('users') as Client;
    const context = await signCallContext(ops, platform.keys.key('call-context'));
    const meta = { [META_CONTEXT]: context };

    const ping = await compare(
      3,
      () => measure(iterations, (i) => platform.gateway.callTool(ops, 'bench_ping', { n: i })),
      () =>
        measure(iterations, (i) => bareClient.callTool({ name: 'ping', arguments: { n: i }, _meta: meta })),
    );
    const usersGet = await compare(
      3,
      () =>
        measure(iterations, () =>
          platform.gateway.callTool(ops, 'users_get', { user: 'nina@northwind.test' }),
        ),
      () =>
        measure(iterations, () =>
          usersClient.callTool({ name: 'get', arguments: { user: 'nina@northwind.test' }, _meta: meta }),
        ),
    );
    await platform.audit.flush();
    return { ping, usersGet };
  } finally {
    await world.close();
  }
}
