import { defineServer } from '../servers/kit/define-server.ts';
import type { MountManager } from './mounts.ts';
import { managementTools } from './tools/management.ts';
import { marketplaceTools } from './tools/marketplace.ts';

export interface RegistryServerOptions {
  /** Encrypts tenants' service credentials at rest. */
  credentialsKey: Uint8Array;
  /**
   * The gateway's mount manager, when the registry server runs inside the gateway process (the
   * default). A registry server run on its own stores connections; the gateway mounts them when it starts.
   */
  mounts?: MountManager | undefined;
  /** Where stdio servers get their per-tenant working directories (for tests without a mount manager). */
  workRoot: string;
}

/** The MCP registry: the catalog (staff manage it) and the marketplace (tenants connect services). */
export function registryServer(options: RegistryServerOptions) {
  return defineServer({
    name: 'registry',
    version: '0.1.0',
    instructions:
      'The MCP catalog and marketplace: staff search, edit, add, deprecate and remove services and see the ' +
      "catalog's figures; tenants browse what their plan offers, connect services with credentials, test and " +
      'disconnect them. A connected service’s tools appear as <service>_<tool>.',
    tools: [...managementTools(options), ...marketplaceTools(options)],
  });
}

export { seedCatalog } from './catalog.ts';
export { createMountManager, type MountManager } from './mounts.ts';
export { publicRegistryApi } from './public-api.ts';
export { workRootIn } from './transports.ts';
