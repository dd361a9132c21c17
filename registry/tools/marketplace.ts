import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { page, pageSize } from '../../servers/kit/common-inputs.ts';
import { defineTool, READ_ONLY, writes } from '../../servers/kit/tool.ts';
import {
  checkCredentials,
  connect,
  disconnect,
  findConnection,
  listConnections,
  mountSpecOf,
} from '../connections.ts';
import type { RegistryServerOptions } from '../index.ts';
import * as input from '../inputs.ts';
import type { MountHealth } from '../mounts.ts';
import { findService } from '../refs.ts';
import { registryConnections } from '../schema.ts';
import { searchServices } from '../services.ts';
import { probe } from '../transports.ts';
import { connectionView, marketplaceView } from '../views.ts';

const access = { permission: 'registry.use' as const, scope: 'tenant' as const };

export function marketplaceTools(options: RegistryServerOptions) {
  const mountOf = (serviceId: string, tenantId: string): MountHealth | null =>
    options.mounts?.health().find((h) => h.service === serviceId && h.tenantId === tenantId) ?? null;

  return [
    defineTool({
      name: 'marketplace',
      title: 'Browse the MCP marketplace',
      description:
        'The services your organisation’s plan may connect (active ones offered to your tier), featured first: ' +
        'filter by category or text, or only those shown in client onboarding. Each says which credentials it ' +
        'needs and whether you are connected.',
      input: z.strictObject({
        category: input.category.optional(),
        query: z.string().trim().max(200).optional().describe('Text in the name, id, vendor or description.'),
        onboarding: z.boolean().optional().describe('Only the services shown in client onboarding.'),
        page,
        pageSize,
      }),
      access,
      annotations: READ_ONLY,
      handler: async (args, call) => {
        const { rows, total, connected } = await call.transaction(async (tx) => {
          const found = await searchServices(
            tx,
            {
              query: args.query,
              category: args.category,
              status: 'active',
              tier: call.ctx.tenantTier as 'starter',
              onboardingVisible: args.onboarding ? true : undefined,
              page: args.page,
              pageSize: args.pageSize,
            },
            true,
          );
          const mine = await tx
            .select({ serviceId: registryConnections.serviceId })
            .from(registryConnections)
            .where(eq(registryConnections.tenantId, call.ctx.tenantId));
          return { ...found, connected: new Set(mine.map((m) => m.serviceId)) };
        });
        return {
          tier: call.ctx.tenantTier,
          items: rows.map((r) => marketplaceView(r, connected.has(r.id))),
          total,
          page: args.page,
          pageSize: args.pageSize,
        };
      },
    }),
    defineTool({
      name: 'connect',
      title: 'Connect a service',
      description:
        'Connect your organisation to a marketplace service with the credentials it asks for (e.g. ' +
        '{service: "hubspot", credentials: {API_KEY: "…"}}). Credentials are stored encrypted and never shown ' +
        'again; connecting again replaces them. When the service has an MCP server, its tools become ' +
        'available to your organisation as <service>_<tool>.',
      input: z.strictObject({
        service: input.serviceRef,
        credentials: input.credentials.optional(),
      }),
      access: { ...access, sensitive: true },
      annotations: writes({ idempotent: true }),
      handler: async (args, call) => {
        const { service, row, created, spec } = await call.transaction(async (tx) => {
          const service = await findService(tx, args.service);
          call.audit.target = service.id;
          const credentials = checkCredentials(service, args.credentials ?? {});
          const { row, created } = await connect(tx, call.ctx, options.credentialsKey, service, credentials);
          return { service, row, created, spec: mountSpecOf(options.credentialsKey, service, row) };
        });
        const mount = spec && options.mounts ? await options.mounts.mount(spec) : null;
        return {
          connection: connectionView(row, service),
          created,
          rotated: !created,
          runnable: Boolean(spec),
          mount,
        };
      },
    }),
    defineTool({
      name: 'test_connection',
      title: 'Test a connection',
      description:
        'Check that your organisation’s connection to a service works: its MCP server is reached (started or ' +
        'restarted if needed) and its tools listed; answers ok or the error, and how many tools it has.',
      input: z.strictObject({ service: input.serviceRef }),
      access,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
      handler: async (args, call) => {
        const { service, spec } = await call.transaction(async (tx) => {
          const service = await findService(tx, args.service);
          const row = await findConnection(tx, call.ctx.tenantId, service.id);
          if (!row) {
            throw new AppError('not_found', `Your organisation is not connected to ${service.name}.`, {
              field: 'service',
            });
          }
          return { service, spec: mountSpecOf(options.credentialsKey, service, row) };
        });
        if (!spec) {
          return {
            service: service.id,
            ok: false,
            tools: 0,
            toolNames: [],
            state: null,
            error: `${service.name} has no MCP server configured yet; your connection and credentials are stored.`,
          };
        }
        if (options.mounts) {
          const result = await options.mounts.test(spec);
          return {
            service: service.id,
            ok: result.error === null,
            tools: result.tools.length,
            toolNames: result.tools,
            state: result.health.state,
            restarts: result.health.restarts,
            error: result.error,
          };
        }
        const result = await probe(spec, options.workRoot, 20_000);
        return {
          service: service.id,
          ok: result.ok,
          tools: result.ok ? result.tools.length : 0,
          toolNames: result.ok ? result.tools : [],
          state: null,
          error: result.ok ? null : result.error,
        };
      },
    }),
    defineTool({
      name: 'disconnect',
      title: 'Disconnect a service',
      description:
        'Disconnect your organisation from a service: its stored credentials are deleted and its tools go away.',
      input: z.strictObject({ service: input.serviceRef }),
      access,
      annotations: writes({ destructive: true, idempotent: true }),
      handler: async (args, call) => {
        const service = await call.transaction(async (tx) => {
          const service = await findService(tx, args.service, { includeRemoved: true });
          call.audit.target = service.id;
          await disconnect(tx, call.ctx, service);
          return service;
        });
        await options.mounts?.unmount(service.id, call.ctx.tenantId);
        return { service: service.id, disconnected: true };
      },
    }),
    defineTool({
      name: 'list_connections',
      title: 'My connected services',
      description:
        'The services your organisation is connected to: which credentials are set (never their values), ' +
        'when, and how each mounted server is doing.',
      input: z.strictObject({}),
      access,
      annotations: READ_ONLY,
      handler: async (_args, call) => {
        const rows = await call.transaction((tx) => listConnections(tx, call.ctx));
        return {
          items: rows.map((r) => ({
            ...connectionView(r.connection, r.service),
            runnable: r.service.connection !== null,
            mount: mountOf(r.service.id, call.ctx.tenantId),
          })),
        };
      },
    }),
  ];
}
