import type { ServiceRow } from './refs.ts';
import type { ConnectionConfig, CredentialField, registryConnections } from './schema.ts';

type ConnectionRow = typeof registryConnections.$inferSelect;

/** Connection settings as staff see them: environment variable names, never their values. */
function connectionSettings(connection: ConnectionConfig | null) {
  if (!connection) return null;
  return connection.transport === 'stdio'
    ? {
        transport: 'stdio' as const,
        command: connection.command,
        args: connection.args,
        envNames: Object.keys(connection.env),
      }
    : { transport: 'http' as const, url: connection.url };
}

const fieldView = (f: CredentialField) => ({
  name: f.name,
  label: f.label,
  ...(f.description ? { description: f.description } : {}),
  required: f.required,
  secret: f.secret,
});

/** A catalog entry as platform staff see it. */
export function serviceView(row: ServiceRow) {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    vendor: row.vendor,
    description: row.description,
    website: row.website,
    affiliateUrl: row.affiliateUrl,
    featured: row.featured,
    sortOrder: row.sortOrder,
    onboardingVisible: row.onboardingVisible,
    tiers: row.tiers,
    status: row.status,
    newInJanuary2026: row.newInJanuary2026,
    integrated: row.integrated,
    connection: connectionSettings(row.connection),
    auth: row.auth,
    credentialFields: row.credentialFields.map(fieldView),
    package: row.package,
    version: row.version,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    statusChangedAt: row.statusChangedAt?.toISOString() ?? null,
  };
}

/** A catalog entry as a tenant browsing the marketplace sees it: no connection internals. */
export function marketplaceView(row: ServiceRow, connected: boolean) {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    vendor: row.vendor,
    description: row.description,
    website: row.website,
    affiliateUrl: row.affiliateUrl,
    featured: row.featured,
    onboardingVisible: row.onboardingVisible,
    newInJanuary2026: row.newInJanuary2026,
    integrated: row.integrated,
    status: row.status,
    auth: row.auth,
    credentialFields: row.credentialFields.map(fieldView),
    /** Whether connecting it makes its MCP tools available (it has a server to start or call). */
    runnable: row.connection !== null,
    transport: row.connection?.transport ?? null,
    connected,
  };
}

/** A tenant's connection: which credentials are set and when, never what they are. */
export function connectionView(row: ConnectionRow, service: ServiceRow) {
  return {
    id: row.id,
    tenantId: row.tenantId,
    service: { id: service.id, name: service.name, category: service.category, status: service.status },
    credentialsSet: row.credentialNames,
    connectedBy: row.connectedBy,
    connectedAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    credentialsRotatedAt: row.credentialsRotatedAt?.toISOString() ?? null,
  };
}
