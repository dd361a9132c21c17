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
  /** Set for a server mounted for one tenant only (a service that tenant connected). */
  tenantId: string | undefined;
  client: Client;
}

/** How to treat a mounted server's tools. Domain servers are trusted to publish their access rules. */
export interface MountOptions {
  /** For servers we do not own: the access every tool gets (their own `_meta` is ignored). */
  access?: ToolAccess;
  /** Mount for one tenant: its tools exist only for that tenant's users (each tenant has its own connection). */
  tenantId?: string;
  /** Called when the connection ends without `unmount` (the server crashed or hung up). */
  onClose?: () => void;
}

// A tool that publishes no access rules is treated as the most restricted kind there is.
const DEFAULT_ACCESS: ToolAccess = { permission: 'users.roles', scope: 'platform' };

function accessOf(tool: Tool): ToolAccess {
  const meta = tool._meta?.[META_ACCESS] as Partial<ToolAccess> | undefined;
  return meta?.permission && meta.scope ? (meta as ToolAccess) : DEFAULT_ACCESS;
}

const mountKey = (server: string, tenantId: string | undefined) =>
  tenantId ? `${server}@${tenantId}` : server;

/**
 * The MCP host: one client per mounted server, and the aggregated tool table. Servers can be
 * mounted and unmounted while running; the registry mounts the services tenants connect, each
 * for its tenant only, so the same `<service>_<tool>` name reaches each tenant's own connection.
 */
export function createToolHost() {
  const clients = new Map<string, Client>();
  /** Tool tables per mount key; a name resolves to the caller's tenant mount first, then the shared one. */
  const tables = new Map<string, Map<string, HostedTool>>();
  const closing = new Set<string>();

  async function load(
    server: string,
    client: Client,
    options: MountOptions,
  ): Promise<Map<string, HostedTool>> {
    const table = new Map<string, HostedTool>();
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      for (const tool of page.tools) {
        const name = `${server}_${tool.name}`;
        table.set(name, {
          name,
          server,
          toolName: tool.name,
          title: tool.title ?? tool.annotations?.title,
          description: tool.description ?? '',
          inputSchema: tool.inputSchema,
          annotations: tool.annotations ?? {},
          access: options.access ?? accessOf(tool),
          auditsOwnWrites: !options.access,
          tenantId: options.tenantId,
          client,
        });
      }
      cursor = page.nextCursor;
    } while (cursor);
    return table;
  }

  return {
    /** Connects to a server over the given transport and adds its tools as `<server>_<tool>`. */
    async mount(server: string, transport: Transport, options: MountOptions = {}): Promise<void> {
      if (!/^[a-z][a-z0-9-]*$/.test(server)) {
        throw new AppError(
          'bad_request',
          `Server name "${server}" must be lowercase letters, digits and dashes.`,
        );
      }
      const key = mountKey(server, options.tenantId);
      if (clients.has(key))
        throw new AppError(
          'conflict',
          `A server named ${server} is already mounted${options.tenantId ? ' for this tenant' : ''}.`,
        );
      const client = new Client({ name: 'bizosaas-gateway', version: '0.1.0' });
      await client.connect(transport);
      try {
        tables.set(key, await load(server, client, options));
      } catch (error) {
        await client.close().catch(() => {});
        throw error;
      }
      clients.set(key, client);
      client.onclose = () => {
        if (clients.get(key) !== client) return;
        clients.delete(key);
        tables.delete(key);
        if (!closing.has(key)) options.onClose?.();
      };
    },
    async unmount(server: string, tenantId?: string): Promise<void> {
      const key = mountKey(server, tenantId);
      const client = clients.get(key);
      if (!client) return;
      closing.add(key);
      clients.delete(key);
      tables.delete(key);
      try {
        await client.close();
      } finally {
        closing.delete(key);
      }
    },
    /** The tool by name for a caller of `tenantId`: their tenant's own mount first, then the shared servers. */
    tool(name: string, tenantId?: string): HostedTool | undefined {
      const server = name.slice(0, name.indexOf('_'));
      if (tenantId) {
        const own = tables.get(mountKey(server, tenantId))?.get(name);
        if (own) return own;
      }
      return tables.get(server)?.get(name);
    },
    /** The tools a caller of `tenantId` can reach: the shared servers' and their tenant's own mounts'. */
    *tools(tenantId?: string): Iterable<HostedTool> {
      for (const table of tables.values()) {
        for (const tool of table.values()) if (!tool.tenantId || tool.tenantId === tenantId) yield tool;
      }
    },
    client: (server: string, tenantId?: string) => clients.get(mountKey(server, tenantId)),
    isMounted: (server: string, tenantId?: string) => clients.has(mountKey(server, tenantId)),
    servers: () => [...clients.keys()].filter((k) => !k.includes('@')),
    async close() {
      await Promise.all(
        [...clients.keys()].map((key) => {
          const [server, tenantId] = key.split('@');
          return this.unmount(server as string, tenantId);
        }),
      );
    },
  };
}

export type ToolHost = ReturnType<typeof createToolHost>;
