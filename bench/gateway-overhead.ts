import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { META_CONTEXT, signCallContext } from '../core/call-context.ts';
import { compare, measure } from './measure.ts';
import { mountPingServer } from './ping-server.ts';
import { benchPlatform } from './setup.ts';

/** Read calls through `gateway.callTool` against the same tool called on the server's MCP client directly. */
export async function gatewayOverhead(iterations: number) {
  const world = await benchPlatform();
  try {
    const { platform } = world;
    const ops = await world.as('ops@bizosaas.test');
    await mountPingServer(platform);
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
