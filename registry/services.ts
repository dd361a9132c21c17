import { and, asc, count, countDistinct, eq, ilike, ne, or, type SQL, sql } from 'drizzle-orm';
import type { CallContext } from '../core/call-context.ts';
import type { Tx } from '../core/db/connection.ts';
import { AppError } from '../core/errors.ts';
import { CATEGORIES } from './catalog.ts';
import type { ServiceRow } from './refs.ts';
import {
  type AuthKind,
  type ConnectionConfig,
  type CredentialField,
  type PackageRef,
  registryConnections,
  registryServices,
  type ServiceStatus,
  type Tier,
} from './schema.ts';

/** The fields staff may change on a service (status `removed` only through removal). */
export interface ServicePatch {
  name?: string | undefined;
  vendor?: string | undefined;
  description?: string | null | undefined;
  website?: string | null | undefined;
  affiliateUrl?: string | null | undefined;
  featured?: boolean | undefined;
  sortOrder?: number | undefined;
  onboardingVisible?: boolean | undefined;
  tiers?: Tier[] | undefined;
  status?: Exclude<ServiceStatus, 'removed'> | undefined;
  connection?: ConnectionConfig | null | undefined;
  auth?: AuthKind | undefined;
  credentialFields?: CredentialField[] | undefined;
  package?: PackageRef | null | undefined;
  version?: string | undefined;
}

export interface NewService extends Omit<ServicePatch, 'status'> {
  id: string;
  name: string;
  category: string;
  vendor: string;
}

export interface ServiceFilters {
  query?: string | undefined;
  category?: string | undefined;
  status?: ServiceStatus | undefined;
  featured?: boolean | undefined;
  onboardingVisible?: boolean | undefined;
  tier?: Tier | undefined;
  newInJanuary2026?: boolean | undefined;
  page: number;
  pageSize: number;
}

const t = registryServices;

/** Categories in the product description's order, then anything else by name. */
const categoryRank = sql`case ${t.category} ${sql.join(
  CATEGORIES.map((c, i) => sql`when ${c} then ${i}`),
  sql` `,
)} else ${CATEGORIES.length} end`;

/** Search conditions shared by staff search and the marketplace. */
export function serviceConditions(filters: Omit<ServiceFilters, 'page' | 'pageSize'>): SQL[] {
  const where: SQL[] = [];
  if (filters.query) {
    const like = `%${filters.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      or(ilike(t.name, like), ilike(t.id, like), ilike(t.vendor, like), ilike(t.description, like)) as SQL,
    );
  }
  if (filters.category) where.push(eq(t.category, filters.category));
  where.push(filters.status ? eq(t.status, filters.status) : ne(t.status, 'removed'));
  if (filters.featured !== undefined) where.push(eq(t.featured, filters.featured));
  if (filters.onboardingVisible !== undefined) where.push(eq(t.onboardingVisible, filters.onboardingVisible));
  if (filters.newInJanuary2026 !== undefined) where.push(eq(t.newInJanuary2026, filters.newInJanuary2026));
  if (filters.tier) where.push(sql`${t.tiers} @> ${JSON.stringify([filters.tier])}::jsonb`);
  return where;
}

/** A page of services, in category order, then sort order, then name. */
export async function searchServices(tx: Tx, filters: ServiceFilters, featuredFirst = false) {
  const where = and(...serviceConditions(filters));
  const [total] = await tx.select({ n: count() }).from(t).where(where);
  const rows = await tx
    .select()
    .from(t)
    .where(where)
    .orderBy(...(featuredFirst ? [sql`${t.featured} desc`] : []), categoryRank, asc(t.sortOrder), asc(t.name))
    .limit(filters.pageSize)
    .offset((filters.page - 1) * filters.pageSize);
  return { rows, total: total?.n ?? 0 };
}

/** Connections per service within the caller's tenant scope (row-level security decides which). */
export async function connectionCounts(tx: Tx, serviceId?: string) {
  const rows = await tx
    .select({
      serviceId: registryConnections.serviceId,
      connections: count(),
      tenants: countDistinct(registryConnections.tenantId),
    })
    .from(registryConnections)
    .where(serviceId ? eq(registryConnections.serviceId, serviceId) : undefined)
    .groupBy(registryConnections.serviceId);
  const [all] = await tx
    .select({ tenants: countDistinct(registryConnections.tenantId), connections: count() })
    .from(registryConnections)
    .where(serviceId ? eq(registryConnections.serviceId, serviceId) : undefined);
  return {
    byService: new Map(rows.map((r) => [r.serviceId, r])),
    tenants: all?.tenants ?? 0,
    connections: all?.connections ?? 0,
  };
}

/** Catalog figures, all computed from the rows: totals, per category, featured, in onboarding, connected tenants. */
export async function catalogStats(tx: Tx) {
  const rows = await tx
    .select({
      category: t.category,
      status: t.status,
      featured: t.featured,
      onboardingVisible: t.onboardingVisible,
      newInJanuary2026: t.newInJanuary2026,
    })
    .from(t);
  const listed = rows.filter((r) => r.status !== 'removed');
  const categories = [
    ...CATEGORIES,
    ...new Set(listed.map((r) => r.category).filter((c) => !CATEGORIES.includes(c))),
  ];
  const byCategory = categories
    .map((category) => {
      const inCategory = listed.filter((r) => r.category === category);
      return {
        category,
        services: inCategory.length,
        active: inCategory.filter((r) => r.status === 'active').length,
        featured: inCategory.filter((r) => r.featured).length,
        onboardingVisible: inCategory.filter((r) => r.onboardingVisible).length,
        newInJanuary2026: inCategory.filter((r) => r.newInJanuary2026).length,
      };
    })
    .filter((c) => c.services > 0);
  const connections = await connectionCounts(tx);
  return {
    totals: {
      services: listed.length,
      categories: byCategory.length,
      active: listed.filter((r) => r.status === 'active').length,
      deprecated: listed.filter((r) => r.status === 'deprecated').length,
      removed: rows.length - listed.length,
      featured: listed.filter((r) => r.featured).length,
      onboardingVisible: listed.filter((r) => r.onboardingVisible).length,
      newInJanuary2026: listed.filter((r) => r.newInJanuary2026).length,
      connectedTenants: connections.tenants,
      connections: connections.connections,
    },
    byCategory,
  };
}

async function assertNameFree(tx: Tx, name: string, exceptId?: string) {
  const [clash] = await tx
    .select({ id: t.id })
    .from(t)
    .where(and(eq(sql`lower(${t.name})`, name.toLowerCase()), exceptId ? ne(t.id, exceptId) : undefined));
  if (clash) {
    throw new AppError('conflict', `Another service (${clash.id}) is already named "${name}".`, {
      field: 'name',
    });
  }
}

/** Deep equality of JSON values, whatever the key order (jsonb does not keep it). */
function sameValue(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object' && !(v instanceof Date)
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Applies a patch; returns the row after it and the names of the fields that really changed. */
export async function updateService(
  tx: Tx,
  row: ServiceRow,
  patch: ServicePatch,
): Promise<{ row: ServiceRow; changed: string[] }> {
  const changed = Object.entries(patch)
    .filter(([key, value]) => value !== undefined && !sameValue(row[key as keyof ServiceRow], value))
    .map(([key]) => key);
  if (changed.length === 0) return { row, changed };
  if (patch.name !== undefined && changed.includes('name')) await assertNameFree(tx, patch.name, row.id);
  const values = Object.fromEntries(changed.map((key) => [key, patch[key as keyof ServicePatch]]));
  const [updated] = await tx
    .update(t)
    .set({
      ...values,
      updatedAt: new Date(),
      ...(changed.includes('status') ? { statusChangedAt: new Date() } : {}),
    })
    .where(eq(t.id, row.id))
    .returning();
  return { row: updated as ServiceRow, changed };
}

/** Adds a service to the catalog (active); its id must be new, even among removed services. */
export async function addService(tx: Tx, ctx: CallContext, input: NewService): Promise<ServiceRow> {
  const [existing] = await tx.select({ id: t.id, status: t.status }).from(t).where(eq(t.id, input.id));
  if (existing) {
    throw new AppError(
      'conflict',
      `A service with the id "${input.id}" already exists${existing.status === 'removed' ? ' (removed)' : ''}.`,
      { field: 'id' },
    );
  }
  await assertNameFree(tx, input.name);
  const [maxOrder] = await tx
    .select({ n: sql<number>`coalesce(max(${t.sortOrder}), 0)` })
    .from(t)
    .where(eq(t.category, input.category));
  const [row] = await tx
    .insert(t)
    .values({
      id: input.id,
      name: input.name,
      category: input.category,
      vendor: input.vendor,
      description: input.description ?? null,
      website: input.website ?? null,
      affiliateUrl: input.affiliateUrl ?? null,
      featured: input.featured ?? false,
      sortOrder: input.sortOrder ?? Number(maxOrder?.n ?? 0) + 10,
      onboardingVisible: input.onboardingVisible ?? false,
      ...(input.tiers ? { tiers: input.tiers } : {}),
      connection: input.connection ?? null,
      auth: input.auth ?? 'none',
      credentialFields: input.credentialFields ?? [],
      package: input.package ?? null,
      ...(input.version ? { version: input.version } : {}),
      createdBy: ctx.userId,
    })
    .returning();
  return row as ServiceRow;
}

/** Marks a service removed and deletes every tenant's connection to it; returns how many went. */
export async function removeService(
  tx: Tx,
  row: ServiceRow,
): Promise<{ row: ServiceRow; disconnected: number }> {
  const [updated] = await tx
    .update(t)
    .set({ status: 'removed', updatedAt: new Date(), statusChangedAt: new Date() })
    .where(eq(t.id, row.id))
    .returning();
  const gone = await tx
    .delete(registryConnections)
    .where(eq(registryConnections.serviceId, row.id))
    .returning({ id: registryConnections.id });
  return { row: updated as ServiceRow, disconnected: gone.length };
}
