import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { z } from 'zod';
import type { Platform } from '../gateway/platform.ts';
import { defineServer } from '../servers/kit/define-server.ts';
import { defineTool } from '../servers/kit/tool.ts';

// A read tool that touches no table, to see the gateway's own cost without the database's.
export const pingServer = defineServer({
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

/** Mounts the ping server in a platform's gateway as `bench`, so `bench_ping` can be called. */
export async function mountPingServer(platform: Platform): Promise<void> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await pingServer
    .create({ db: platform.database.db, contextKey: platform.keys.key('call-context'), log: platform.log })
    .connect(serverSide);
  await platform.gateway.host.mount('bench', clientSide);
}
