import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { AuthKind, ConnectionConfig, CredentialField } from './schema.ts';

/** What it takes to reach one tenant's connection to one service. */
export interface MountSpec {
  serviceId: string;
  tenantId: string;
  connection: ConnectionConfig;
  auth: AuthKind;
  credentialFields: CredentialField[];
  /** Decrypted, in memory only: passed to the server, never logged or returned. */
  credentials: Record<string, string>;
}

export interface OpenedTransport {
  transport: Transport;
  /** The child's process id (stdio), for health and tests. */
  pid(): number | null;
}

/** Where the registry keeps the working directories of tenants' stdio servers. */
export const workRootIn = (dataDir: string) => path.join(dataDir, 'registry');

/** The directory a tenant's stdio server runs in and may keep files in (`{workDir}`). */
export function workDirFor(root: string, spec: Pick<MountSpec, 'serviceId' | 'tenantId'>): string {
  const dir = path.join(root, spec.tenantId, spec.serviceId);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

const expand = (value: string, workDir: string) => value.replaceAll('{workDir}', workDir);

/**
 * Our call context and request id travel in `_meta` to the servers we own; a third-party server
 * must never see them (the signed context would let it act as the caller until it expires).
 */
function withoutPlatformMeta(inner: Transport): Transport {
  const strip = (message: JSONRPCMessage): JSONRPCMessage => {
    const params = (message as { params?: { _meta?: Record<string, unknown> } }).params;
    if (!params?._meta) return message;
    const meta = Object.fromEntries(Object.entries(params._meta).filter(([k]) => !k.startsWith('bizosaas/')));
    return { ...message, params: { ...params, _meta: meta } } as JSONRPCMessage;
  };
  const outer: Transport = {
    start: () => inner.start(),
    close: () => inner.close(),
    send: (message, options) => inner.send(strip(message), options),
    setProtocolVersion: (version) => inner.setProtocolVersion?.(version),
    get sessionId() {
      return inner.sessionId;
    },
  };
  inner.onmessage = (message, extra) => outer.onmessage?.(message, extra);
  inner.onclose = () => outer.onclose?.();
  inner.onerror = (error) => outer.onerror?.(error);
  return outer;
}

/** The credential sent as `Authorization: Bearer` to an HTTP server: the first one the service asks for. */
function bearerOf(spec: MountSpec): string | undefined {
  if (spec.auth === 'none') return undefined;
  const field = spec.credentialFields.find((f) => spec.credentials[f.name] !== undefined);
  return field ? spec.credentials[field.name] : undefined;
}

/**
 * A transport to the service's MCP server: a child process started directly (no shell) with a
 * minimal environment (`getDefaultEnvironment()`, the service's variables, the tenant's
 * credentials), or a Streamable HTTP client with the credential as a bearer token.
 */
export function openTransport(
  spec: MountSpec,
  workRoot: string,
  onStderr: (line: string) => void = () => {},
): OpenedTransport {
  const connection = spec.connection;
  if (connection.transport === 'http') {
    const token = bearerOf(spec);
    const transport = new StreamableHTTPClientTransport(new URL(connection.url), {
      requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
    });
    return { transport: withoutPlatformMeta(transport), pid: () => null };
  }
  const workDir = workDirFor(workRoot, spec);
  // The service's own variables win over a tenant's values: a tenant cannot move {workDir} elsewhere.
  const env: Record<string, string> = { ...getDefaultEnvironment(), ...spec.credentials };
  for (const [name, value] of Object.entries(connection.env)) env[name] = expand(value, workDir);
  const transport = new StdioClientTransport({
    command: connection.command,
    args: connection.args.map((a) => expand(a, workDir)),
    env,
    cwd: workDir,
    stderr: 'pipe',
  });
  let partial = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onStderr(line);
  });
  return { transport: withoutPlatformMeta(transport), pid: () => transport.pid };
}

/** Connects once, lists the tools and disconnects: whether the service answers with these settings. */
export async function probe(
  spec: MountSpec,
  workRoot: string,
  timeoutMs: number,
): Promise<{ ok: true; tools: string[] } | { ok: false; error: string }> {
  const stderr: string[] = [];
  const { transport } = openTransport(spec, workRoot, (line) => stderr.push(line));
  const client = new Client({ name: 'bizosaas-registry', version: '0.1.0' });
  try {
    const tools = await withTimeout(
      (async () => {
        await client.connect(transport);
        const names: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await client.listTools(cursor ? { cursor } : {});
          names.push(...page.tools.map((t) => t.name));
          cursor = page.nextCursor;
        } while (cursor);
        return names;
      })(),
      timeoutMs,
    );
    return { ok: true, tools };
  } catch (error) {
    return { ok: false, error: describeFailure(error, stderr) };
  } finally {
    await client.close().catch(() => {});
  }
}

/** Rejects when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A one-line reason: the error, with the server's last words on stderr when it left any. */
export function describeFailure(error: unknown, stderr: readonly string[] = []): string {
  const message = error instanceof Error ? error.message : String(error);
  const last = stderr.at(-1);
  return (last ? `${message} (server said: ${last})` : message).slice(0, 500);
}
