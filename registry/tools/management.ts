import { z } from 'zod';
import { inTenantScope } from '../../core/call-context.ts';
import { AppError } from '../../core/errors.ts';
import { page, pageSize } from '../../servers/kit/common-inputs.ts';
import { defineTool, READ_ONLY, type ToolCall, writes } from '../../servers/kit/tool.ts';
import { RESERVED_IDS } from '../catalog.ts';
import type { RegistryServerOptions } from '../index.ts';
import * as input from '../inputs.ts';
import type { MountHealth } from '../mounts.ts';
import { assertManages, assertMayConfigureConnections, findService, type ServiceRow } from '../refs.ts';
import type { CredentialField } from '../schema.ts';
import {
  addService,
  catalogStats,
  connectionCounts,
  removeService,
  type ServicePatch,
  searchServices,
  updateService,
} from '../services.ts';
import { serviceView } from '../views.ts';

const access = { permission: 'registry.manage' as const, scope: 'platform' as const };

/** Mounted services' health, limited to the tenants the caller may see. */
function healthFor(options: RegistryServerOptions, call: ToolCall, serviceId?: string): MountHealth[] {
  return (options.mounts?.health() ?? []).filter(
    (h) => inTenantScope(call.ctx, h.tenantId) && (!serviceId || h.service === serviceId),
  );
}

const normalizeFields = (fields: z.output<typeof input.credentialFields>): CredentialField[] =>
  fields.map((f) => ({ ...f, label: f.label ?? f.name }));

/** Fields that change what runs for tenants; only admins set them, and mounts follow them. */
const CONNECTION_FIELDS = ['connection', 'auth', 'credentialFields'] as const;

const editable = {
  name: input.name.optional(),
  vendor: input.vendor.optional(),
  description: input.description.nullable().optional().describe('What it does (null clears it).'),
  website: input.httpUrl.nullable().optional().describe("The vendor's website (null clears it)."),
  affiliateUrl: input.httpUrl.nullable().optional().describe('The affiliate/partner link (null clears it).'),
  featured: z.boolean().optional().describe('Featured in the marketplace.'),
  sortOrder: input.sortOrder.optional(),
  onboardingVisible: z.boolean().optional().describe('Shown to clients during onboarding.'),
  tiers: input.tiers.optional(),
  connection: input.connection.nullable().optional(),
  auth: input.auth.optional(),
  credentialFields: input.credentialFields.optional(),
  package: input.packageRef.nullable().optional(),
  version: input.version.optional(),
};

const { name: _name, vendor: _vendor, ...addable } = editable;

/** After a change of connection settings, running mounts restart with them (or stop when cleared). */
async function followConnectionChange(options: RegistryServerOptions, row: ServiceRow, changed: string[]) {
  const mounts = options.mounts;
  if (!mounts || !changed.some((f) => (CONNECTION_FIELDS as readonly string[]).includes(f))) return;
  await mounts.unmountService(row.id);
  if (row.connection) await mounts.mountAll([row.id]);
}

export function managementTools(options: RegistryServerOptions) {
  const reserved = () => new Set([...RESERVED_IDS, ...(options.mounts?.platformServers() ?? [])]);
  return [
    defineTool({
      name: 'stats',
      title: 'Registry statistics',
      description:
        'Catalog figures computed from the data: services in total and by category, active/deprecated/removed, ' +
        'featured, visible in client onboarding, new in January 2026, connected tenants, and the health of ' +
        'mounted services (up, restarting, down; restarts, last error, tool count).',
      input: z.strictObject({}),
      access,
      annotations: READ_ONLY,
      handler: async (_args, call) => ({
        ...(await call.transaction((tx) => catalogStats(tx))),
        mounted: healthFor(options, call),
      }),
    }),
    defineTool({
      name: 'search_services',
      title: 'Search the MCP catalog',
      description:
        'Services in the MCP catalog by text (name, id, vendor, description), category, status, featured, ' +
        'onboarding visibility, tier or January 2026 novelty; removed services only with status "removed".',
      input: z.strictObject({
        query: z.string().trim().max(200).optional().describe('Text in the name, id, vendor or description.'),
        category: input.category.optional(),
        status: input.status.optional(),
        featured: z.boolean().optional(),
        onboardingVisible: z.boolean().optional(),
        tier: input.tier.optional().describe('Only services offered to this plan.'),
        newInJanuary2026: z.boolean().optional(),
        page,
        pageSize,
      }),
      access,
      annotations: READ_ONLY,
      handler: async (args, call) => {
        const { rows, total } = await call.transaction((tx) => searchServices(tx, args));
        return { items: rows.map(serviceView), total, page: args.page, pageSize: args.pageSize };
      },
    }),
    defineTool({
      name: 'get_service',
      title: 'Get a catalog service',
      description: 'One service with everything staff may edit, its connection count and its mounts’ health.',
      input: z.strictObject({ service: input.serviceRef }),
      access,
      annotations: READ_ONLY,
      handler: async (args, call) => {
        const { row, counts } = await call.transaction(async (tx) => {
          const row = await findService(tx, args.service, { includeRemoved: true });
          return { row, counts: await connectionCounts(tx, row.id) };
        });
        return {
          service: serviceView(row),
          connections: counts.connections,
          connectedTenants: counts.tenants,
          mounted: healthFor(options, call, row.id),
        };
      },
    }),
    defineTool({
      name: 'update_service',
      title: 'Edit a catalog service',
      description:
        'Change a service: name, vendor, description, website, affiliate link (affiliateUrl), featured, sort ' +
        'order, visibility in client onboarding (onboardingVisible), tiers, status (active or deprecated; ' +
        'deprecated takes no new connections), and, for admins, how to connect (connection, auth, ' +
        'credentialFields), package and version. Only the fields given change. E.g. {service: "hubspot", ' +
        'featured: true, onboardingVisible: true} or {service: "cloudways", status: "deprecated"}.',
      input: z.strictObject({
        service: input.serviceRef,
        ...editable,
        status: z
          .enum(['active', 'deprecated'])
          .optional()
          .describe('active, or deprecated (no new connections); use registry_remove_service to remove.'),
      }),
      access,
      annotations: writes({ idempotent: true }),
      handler: async (args, call) => {
        const { service, ...patch } = args;
        if (Object.values(patch).every((v) => v === undefined)) {
          throw new AppError('bad_request', 'Name at least one field of the service to change.', {
            fields: [{ field: 'service', message: 'and at least one field to change' }],
          });
        }
        for (const field of CONNECTION_FIELDS) {
          if (patch[field] !== undefined) assertMayConfigureConnections(call.ctx, field);
        }
        const servicePatch: ServicePatch = {
          ...patch,
          credentialFields: patch.credentialFields && normalizeFields(patch.credentialFields),
        };
        const { row, changed } = await call.transaction(async (tx) => {
          const current = await findService(tx, service, { includeRemoved: true, forUpdate: true });
          assertManages(call.ctx, current.category);
          call.audit.target = current.id;
          if (current.status === 'removed' && patch.status === undefined) {
            throw new AppError('conflict', `${current.name} is removed; set status "active" to restore it.`, {
              field: 'status',
            });
          }
          return updateService(tx, current, servicePatch);
        });
        await followConnectionChange(options, row, changed);
        return { service: serviceView(row), changed };
      },
    }),
    defineTool({
      name: 'add_service',
      title: 'Add a service to the catalog',
      description:
        'Add an MCP service: id (lowercase, dashes; its tools become <id>_<tool>), name, category, vendor, and ' +
        'optionally description, links, tiers, and (admins) how to connect: {transport: "stdio", command, ' +
        'args?, env?} or {transport: "http", url}, auth and the credential fields tenants supply.',
      input: z.strictObject({
        id: input.serviceId,
        name: input.name,
        category: input.category,
        vendor: input.vendor,
        ...addable,
      }),
      access,
      annotations: writes(),
      handler: async (args, call) => {
        if (reserved().has(args.id)) {
          throw new AppError(
            'bad_request',
            `The id "${args.id}" belongs to a platform server; choose another.`,
            {
              fields: [{ field: 'id', message: 'is reserved for a platform server' }],
            },
          );
        }
        assertManages(call.ctx, args.category, 'category');
        for (const field of CONNECTION_FIELDS) {
          if (args[field] !== undefined) assertMayConfigureConnections(call.ctx, field);
        }
        const row = await call.transaction(async (tx) => {
          call.audit.target = args.id;
          return addService(tx, call.ctx, {
            ...args,
            credentialFields: args.credentialFields && normalizeFields(args.credentialFields),
          });
        });
        return { service: serviceView(row) };
      },
    }),
    defineTool({
      name: 'remove_service',
      title: 'Remove a service from the catalog',
      description:
        'Remove a service: it leaves the marketplace and the public registry, every tenant connected to it is ' +
        'disconnected (their stored credentials deleted) and its mounted servers stop. It can be restored ' +
        'with registry_update_service {status: "active"}, but tenants must connect again.',
      input: z.strictObject({ service: input.serviceRef }),
      access,
      annotations: writes({ destructive: true, idempotent: true }),
      handler: async (args, call) => {
        const result = await call.transaction(async (tx) => {
          const current = await findService(tx, args.service, { includeRemoved: true, forUpdate: true });
          assertManages(call.ctx, current.category);
          call.audit.target = current.id;
          if (current.status === 'removed') return { row: current, disconnected: 0 };
          return removeService(tx, current);
        });
        await options.mounts?.unmountService(result.row.id);
        return { service: serviceView(result.row), disconnected: result.disconnected };
      },
    }),
  ];
}
