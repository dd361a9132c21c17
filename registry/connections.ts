import { and, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import type { CallContext } from '../core/call-context.ts';
import { decryptSecret, encryptSecret } from '../core/crypto.ts';
import type { Db, Tx } from '../core/db/connection.ts';
import { AppError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { ServiceRow } from './refs.ts';
import { registryConnections, registryServices, type Tier } from './schema.ts';
import type { MountSpec } from './transports.ts';

export type ConnectionRow = typeof registryConnections.$inferSelect;

/**
 * The credentials a tenant sent, checked against the service's fields: every required one
 * present, nothing the service does not ask for. Errors name `credentials.<FIELD>`.
 */
export function checkCredentials(service: ServiceRow, given: Record<string, string>): Record<string, string> {
  const known = new Map(service.credentialFields.map((f) => [f.name, f]));
  const fields: { field: string; message: string }[] = [];
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      const allowed = [...known.keys()];
      fields.push({
        field: `credentials.${name}`,
        message: allowed.length
          ? `${service.name} does not take this; it takes ${allowed.join(', ')}`
          : `${service.name} takes no credentials`,
      });
    }
  }
  for (const field of service.credentialFields) {
    const value = given[field.name]?.trim();
    if (field.required && !value) {
      fields.push({ field: `credentials.${field.name}`, message: `${field.label} is required` });
    }
  }
  if (fields.length) {
    throw new AppError(
      'bad_request',
      `Invalid credentials for ${service.name}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
      { fields },
    );
  }
  return Object.fromEntries(
    Object.entries(given)
      .map(([k, v]) => [k, v.trim()] as const)
      .filter(([, v]) => v),
  );
}

/** Whether a tenant of this tier may start using the service. */
export function offeredTo(service: ServiceRow, tier: string): boolean {
  return service.status === 'active' && service.tiers.includes(tier as Tier);
}

export async function findConnection(tx: Tx, tenantId: string, serviceId: string) {
  const [row] = await tx
    .select()
    .from(registryConnections)
    .where(and(eq(registryConnections.tenantId, tenantId), eq(registryConnections.serviceId, serviceId)));
  return row;
}

/**
 * Connects the caller's tenant to a service, or replaces (rotates) the credentials of an existing
 * connection. New connections need an active service offered to the tenant's tier; an existing
 * connection to a service since deprecated may still rotate its credentials.
 */
export async function connect(
  tx: Tx,
  ctx: CallContext,
  key: Uint8Array,
  service: ServiceRow,
  credentials: Record<string, string>,
): Promise<{ row: ConnectionRow; created: boolean }> {
  const existing = await findConnection(tx, ctx.tenantId, service.id);
  if (!existing) {
    if (service.status !== 'active') {
      throw new AppError('conflict', `${service.name} is ${service.status}: it takes no new connections.`, {
        field: 'service',
      });
    }
    if (!offeredTo(service, ctx.tenantTier)) {
      throw new AppError(
        'forbidden',
        `${service.name} is not offered on your plan (${ctx.tenantTier}); it is for ${service.tiers.join(', ')}.`,
        { field: 'service', tier: ctx.tenantTier },
      );
    }
  }
  const stored = Object.keys(credentials).length ? encryptSecret(key, JSON.stringify(credentials)) : null;
  const names = Object.keys(credentials).sort();
  const now = new Date();
  if (existing) {
    const [row] = await tx
      .update(registryConnections)
      .set({
        credentials: stored,
        credentialNames: names,
        connectedBy: ctx.userId,
        updatedAt: now,
        credentialsRotatedAt: existing.credentials || stored ? now : existing.credentialsRotatedAt,
      })
      .where(eq(registryConnections.id, existing.id))
      .returning();
    return { row: row as ConnectionRow, created: false };
  }
  const [row] = await tx
    .insert(registryConnections)
    .values({
      id: newId('connection'),
      tenantId: ctx.tenantId,
      serviceId: service.id,
      credentials: stored,
      credentialNames: names,
      connectedBy: ctx.userId,
    })
    .returning();
  return { row: row as ConnectionRow, created: true };
}

/** Deletes the caller's tenant's connection (and with it the stored credentials). */
export async function disconnect(tx: Tx, ctx: CallContext, service: ServiceRow): Promise<ConnectionRow> {
  const [row] = await tx
    .delete(registryConnections)
    .where(and(eq(registryConnections.tenantId, ctx.tenantId), eq(registryConnections.serviceId, service.id)))
    .returning();
  if (!row) {
    throw new AppError('not_found', `Your organisation is not connected to ${service.name}.`, {
      field: 'service',
    });
  }
  return row;
}

/** The caller's tenant's connections with their services, newest first. */
export async function listConnections(tx: Tx, ctx: CallContext) {
  return tx
    .select({ connection: registryConnections, service: registryServices })
    .from(registryConnections)
    .innerJoin(registryServices, eq(registryServices.id, registryConnections.serviceId))
    .where(eq(registryConnections.tenantId, ctx.tenantId))
    .orderBy(registryServices.name);
}

export function decryptCredentials(key: Uint8Array, stored: string | null): Record<string, string> {
  return stored ? (JSON.parse(decryptSecret(key, stored)) as Record<string, string>) : {};
}

/** What mounting one connection takes, or undefined when the service has no server to reach. */
export function mountSpecOf(
  key: Uint8Array,
  service: ServiceRow,
  connection: Pick<ConnectionRow, 'tenantId' | 'credentials'>,
): MountSpec | undefined {
  if (!service.connection || service.status === 'removed') return undefined;
  return {
    serviceId: service.id,
    tenantId: connection.tenantId,
    connection: service.connection,
    auth: service.auth,
    credentialFields: service.credentialFields,
    credentials: decryptCredentials(key, connection.credentials),
  };
}

/**
 * Every connection to a service with a server to reach, across all tenants (read as the table
 * owner: the gateway mounts them at start, before anyone calls), optionally of some services only.
 */
export async function allMountSpecs(
  db: Db,
  key: Uint8Array,
  serviceIds?: string[],
): Promise<{ specs: MountSpec[]; failures: { serviceId: string; tenantId: string; error: string }[] }> {
  const rows = await db
    .select({ connection: registryConnections, service: registryServices })
    .from(registryConnections)
    .innerJoin(registryServices, eq(registryServices.id, registryConnections.serviceId))
    .where(
      and(
        ne(registryServices.status, 'removed'),
        isNotNull(registryServices.connection),
        serviceIds ? inArray(registryServices.id, serviceIds) : undefined,
      ),
    );
  const specs: MountSpec[] = [];
  const failures: { serviceId: string; tenantId: string; error: string }[] = [];
  for (const { service, connection } of rows) {
    try {
      const spec = mountSpecOf(key, service, connection);
      if (spec) specs.push(spec);
    } catch (error) {
      // One unreadable row (e.g. after the master secret changed) must not keep the others down.
      failures.push({
        serviceId: service.id,
        tenantId: connection.tenantId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { specs, failures };
}
