import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '../../core/errors.ts';
import { META_ACCESS, type ToolAccess } from '../../servers/kit/tool.ts';

/** A tool as the gateway offers it: `<server>_<tool>`, with where it lives and its access rules. */
export interface HostedTool {
  name: string;
  server: string;
  toolName: string;
  title: string | undefined;
  description: string;
  inputSchema: Tool['inputSchema'];
  annotations: NonNullable<Tool['annotations']>;
  access: ToolAccess;
  /** Domain servers audit their committed writes themselves; for other servers the gateway does. */
  auditsOwnWrites: boolean;
  client: Client;
}

/** How to treat a mounted server's tools. Domain servers are trusted to publish their access rules. */
export interface MountOptions {
  /** For servers we do not own: the access every tool gets (their own `_meta` is ignored). */
  access?: ToolAccess;
}

// A tool that publishes no access rules is treated as the most restricted kind there is.
const DEFAULT_ACCESS: ToolAccess = { permission: 'users.roles', scope: 'platform' };

function accessOf(tool: Tool): ToolAccess {
  const meta = tool._meta?.[META_ACCESS] as Partial<ToolAccess> | undefined;
  return meta?.permission && meta.scope ? (meta as ToolAccess) : DEFAULT_ACCESS;
}

/**
 * The MCP host: one client per server, and the aggregated tool table. Servers can be mounted and
 * unmounted while running (the registry mounts external ones).
 */
export function createToolHost() {
  const clients = new Map<string, Client>();
  const tools = new Map<string, HostedTool>();

  async function refresh(server: string, client: Client, options: MountOptions) {
    for (const [name, t] of tools) if (t.server === server) tools.delete(name);
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      for (const tool of page.tools) {
        const name = `${server}_${tool.name}`;
        tools.set(name, {
          name,
          server,
          toolName: tool.name,
          title: tool.title ?? tool.annotations?.title,
          description: tool.description ?? '',
          inputSchema: tool.inputSchema,
          annotations: tool.annotations ?? {},
          access: options.access ?? accessOf(tool),
          auditsOwnWrites: !options.access,
          client,
        });
      }
      cursor = page.nextCursor;
    } while (cursor);
  }

  return {
    /** Connects to a server over the given transport and adds its tools as `<server>_<tool>`. */
    async mount(server: string, transport: Transport, options: MountOptions = {}): Promise<void> {
      if (!/^[a-z][a-z0-9-]*$/.test(server))
        throw new AppError(
          'bad_request',
          `Server name "${server}" must be lowercase letters, digits and dashes.`,
        );
      if (clients.has(server)) throw new AppError('conflict', `A server named ${server} is already mounted.`);
      const client = new Client({ name: 'bizosaas-gateway', version: '0.1.0' });
      await client.connect(transport);
      clients.set(server, client);
      await refresh(server, client, options);
    },
    async unmount(server: string): Promise<void> {
      const client = clients.get(server);
      if (!client) return;
      clients.delete(server);
      for (const [name, t] of tools) if (t.server === server) tools.delete(name);
      await client.close();
    },
    tool: (name: string) => tools.get(name),
    tools: () => tools.values(),
    client: (server: string) => clients.get(server),
    servers: () => [...clients.keys()],
    async close() {
      await Promise.all([...clients.keys()].map((s) => this.unmount(s)));
    },
  };
}

export type ToolHost = ReturnType<typeof createToolHost>;
