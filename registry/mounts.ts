import type { Db } from '../core/db/connection.ts';
import type { Logger } from '../core/logger.ts';
import type { ToolHost } from '../gateway/host/tool-host.ts';
import type { ToolAccess } from '../servers/kit/tool.ts';
import { allMountSpecs } from './connections.ts';
import {
  describeFailure,
  type MountSpec,
  type OpenedTransport,
  openTransport,
  withTimeout,
} from './transports.ts';

/** Every tool of a mounted service: for the users of the tenant that connected it (all roles may use it). */
const MOUNTED_ACCESS: ToolAccess = { permission: 'registry.use', scope: 'tenant' };

export type MountState = 'starting' | 'up' | 'restarting' | 'down';

/** How one tenant's connection to one service is doing, as `registry_stats` shows it. */
export interface MountHealth {
  service: string;
  tenantId: string;
  transport: 'stdio' | 'http';
  state: MountState;
  /** Times it was restarted after its server went away. */
  restarts: number;
  lastError: string | null;
  tools: number;
  /** When it entered its current state. */
  since: string;
  pid: number | null;
}

export interface MountManagerOptions {
  db: Db;
  host: ToolHost;
  credentialsKey: Uint8Array;
  log: Logger;
  /** Where each tenant's stdio servers get their own working directory. */
  workRoot: string;
  /** Restart delays: `baseMs × 2^n` up to `maxMs`; n resets once a server stays up `stableMs`. */
  backoff?: { baseMs?: number; maxMs?: number; stableMs?: number; maxFailures?: number };
  /** How long starting a server and listing its tools may take. */
  connectTimeoutMs?: number;
}

interface Mount {
  spec: MountSpec;
  state: MountState;
  restarts: number;
  /** Failed starts and crashes in a row (the exponent of the next delay). */
  failures: number;
  lastError: string | null;
  tools: number;
  since: Date;
  opened: OpenedTransport | undefined;
  stderr: string[];
  retry: NodeJS.Timeout | undefined;
  stable: NodeJS.Timeout | undefined;
  stopped: boolean;
}

const keyOf = (serviceId: string, tenantId: string) => `${serviceId}@${tenantId}`;

/** Replaces every credential value in a text, so a server echoing its key cannot leak it through health. */
function scrub(text: string, spec: MountSpec): string {
  let out = text;
  for (const value of Object.values(spec.credentials)) {
    if (value.length >= 4) out = out.replaceAll(value, '[redacted]');
  }
  return out;
}

/**
 * Mounts the services tenants connected into the MCP host, each for its tenant only, and keeps
 * them running: a server that goes away is restarted with exponential backoff, and a server that
 * keeps failing is left down (until it is reconnected, tested or the platform restarts).
 */
export function createMountManager(options: MountManagerOptions) {
  const { host, log } = options;
  const baseMs = options.backoff?.baseMs ?? 500;
  const maxMs = options.backoff?.maxMs ?? 30_000;
  const stableMs = options.backoff?.stableMs ?? 60_000;
  const maxFailures = options.backoff?.maxFailures ?? 10;
  const connectTimeoutMs = options.connectTimeoutMs ?? 20_000;
  const mounts = new Map<string, Mount>();
  /** One operation at a time per mount, so a restart never races a reconnect or an unmount. */
  const queues = new Map<string, Promise<unknown>>();

  function serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const run = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
    const settled = run.catch(() => {});
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return run;
  }

  const toolCount = (spec: MountSpec) =>
    [...host.tools(spec.tenantId)].filter((t) => t.server === spec.serviceId && t.tenantId === spec.tenantId)
      .length;

  function enter(mount: Mount, state: MountState) {
    mount.state = state;
    mount.since = new Date();
  }

  function scheduleRetry(mount: Mount) {
    if (mount.failures >= maxFailures) {
      enter(mount, 'down');
      log.warn(
        { service: mount.spec.serviceId, tenant: mount.spec.tenantId, error: mount.lastError },
        'mounted service left down after repeated failures',
      );
      return;
    }
    enter(mount, 'restarting');
    const delay = Math.min(baseMs * 2 ** (mount.failures - 1), maxMs);
    mount.retry = setTimeout(() => {
      mount.retry = undefined;
      void serial(keyOf(mount.spec.serviceId, mount.spec.tenantId), () => start(mount));
    }, delay);
    mount.retry.unref();
  }

  function crashed(mount: Mount) {
    if (mount.stopped) return;
    clearTimeout(mount.stable);
    mount.restarts += 1;
    mount.failures += 1;
    mount.tools = 0;
    mount.lastError = scrub(describeFailure(new Error('the server went away'), mount.stderr), mount.spec);
    log.warn({ service: mount.spec.serviceId, tenant: mount.spec.tenantId }, 'mounted service went away');
    scheduleRetry(mount);
  }

  /** One attempt to start (or reach) the server and mount its tools; failures schedule the next. */
  async function start(mount: Mount): Promise<void> {
    if (mount.stopped) return;
    const { spec } = mount;
    mount.stderr = [];
    const opened = openTransport(spec, options.workRoot, (line) => {
      mount.stderr.push(line);
      if (mount.stderr.length > 20) mount.stderr.shift();
      log.debug(
        { service: spec.serviceId, tenant: spec.tenantId, stderr: scrub(line, spec) },
        'service stderr',
      );
    });
    mount.opened = opened;
    const mounting = host.mount(spec.serviceId, opened.transport, {
      tenantId: spec.tenantId,
      access: MOUNTED_ACCESS,
      onClose: () => crashed(mount),
    });
    try {
      await withTimeout(mounting, connectTimeoutMs);
    } catch (error) {
      await opened.transport.close().catch(() => {});
      await mounting.catch(() => {});
      mount.failures += 1;
      mount.lastError = scrub(describeFailure(error, mount.stderr), spec);
      log.warn({ service: spec.serviceId, tenant: spec.tenantId, error: mount.lastError }, 'mounting failed');
      scheduleRetry(mount);
      return;
    }
    if (mount.stopped) {
      await host.unmount(spec.serviceId, spec.tenantId);
      return;
    }
    mount.tools = toolCount(spec);
    enter(mount, 'up');
    mount.stable = setTimeout(() => {
      mount.failures = 0;
    }, stableMs);
    mount.stable.unref();
  }

  async function stop(key: string): Promise<boolean> {
    const mount = mounts.get(key);
    if (!mount) return false;
    mounts.delete(key);
    mount.stopped = true;
    clearTimeout(mount.retry);
    clearTimeout(mount.stable);
    await host.unmount(mount.spec.serviceId, mount.spec.tenantId);
    return true;
  }

  function healthOf(mount: Mount): MountHealth {
    return {
      service: mount.spec.serviceId,
      tenantId: mount.spec.tenantId,
      transport: mount.spec.connection.transport,
      state: mount.state,
      restarts: mount.restarts,
      lastError: mount.lastError,
      tools: mount.tools,
      since: mount.since.toISOString(),
      pid: mount.state === 'up' ? (mount.opened?.pid() ?? null) : null,
    };
  }

  const manager = {
    /** Mounts (or remounts with new settings or credentials) one tenant's connection; resolves after the first attempt. */
    mount(spec: MountSpec): Promise<MountHealth> {
      const key = keyOf(spec.serviceId, spec.tenantId);
      return serial(key, async () => {
        await stop(key);
        const mount: Mount = {
          spec,
          state: 'starting',
          restarts: 0,
          failures: 0,
          lastError: null,
          tools: 0,
          since: new Date(),
          opened: undefined,
          stderr: [],
          retry: undefined,
          stable: undefined,
          stopped: false,
        };
        mounts.set(key, mount);
        await start(mount);
        return healthOf(mount);
      });
    },
    /** Stops one tenant's connection to a service (disconnect). */
    unmount(serviceId: string, tenantId: string): Promise<boolean> {
      const key = keyOf(serviceId, tenantId);
      return serial(key, () => stop(key));
    },
    /** Stops every tenant's connection to a service (removed, or its server settings cleared). */
    async unmountService(serviceId: string): Promise<number> {
      const keys = [...mounts.values()].filter((m) => m.spec.serviceId === serviceId);
      const stopped = await Promise.all(keys.map((m) => manager.unmount(serviceId, m.spec.tenantId)));
      return stopped.filter(Boolean).length;
    },
    /** Mounts every stored connection with a server to reach (at platform start); failures are logged, not fatal. */
    async mountAll(serviceIds?: string[]): Promise<void> {
      const { specs, failures } = await allMountSpecs(options.db, options.credentialsKey, serviceIds);
      for (const f of failures)
        log.error({ service: f.serviceId, tenant: f.tenantId, error: f.error }, 'cannot mount');
      await Promise.all(specs.map((spec) => manager.mount(spec)));
    },
    /**
     * Whether the tenant's connection answers: when mounted, its tools are listed again; otherwise
     * it is mounted now (a connection left down gets a fresh start).
     */
    async test(spec: MountSpec): Promise<{ health: MountHealth; tools: string[]; error: string | null }> {
      const key = keyOf(spec.serviceId, spec.tenantId);
      const current = mounts.get(key);
      const client = current?.state === 'up' ? host.client(spec.serviceId, spec.tenantId) : undefined;
      if (current && client) {
        try {
          const listed = await withTimeout(client.listTools(), connectTimeoutMs);
          return { health: healthOf(current), tools: listed.tools.map((t) => t.name), error: null };
        } catch (error) {
          current.lastError = scrub(describeFailure(error, current.stderr), spec);
          return { health: healthOf(current), tools: [], error: current.lastError };
        }
      }
      const health = await manager.mount(spec);
      const tools = [...host.tools(spec.tenantId)]
        .filter((t) => t.server === spec.serviceId && t.tenantId === spec.tenantId)
        .map((t) => t.toolName);
      return { health, tools, error: health.state === 'up' ? null : health.lastError };
    },
    health(): MountHealth[] {
      return [...mounts.values()].map(healthOf).sort((a, b) => a.service.localeCompare(b.service));
    },
    /** The platform's own servers: a service id among them would shadow their tools. */
    platformServers: (): string[] => host.servers(),
    /** Stops every mounted service (platform shutdown). */
    async close(): Promise<void> {
      await Promise.all([...mounts.values()].map((m) => manager.unmount(m.spec.serviceId, m.spec.tenantId)));
    },
  };
  return manager;
}

export type MountManager = ReturnType<typeof createMountManager>;
