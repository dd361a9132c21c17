import { z } from 'zod';
import type { Db } from '../core/db/connection.ts';
import catalogFile from './catalog.json' with { type: 'json' };
import { registryServices } from './schema.ts';

const fileSchema = z.object({
  categories: z.array(z.string().min(1)).min(1),
  services: z.array(
    z.object({
      id: z.string().regex(/^[a-z][a-z0-9-]*$/),
      name: z.string().min(1),
      category: z.string().min(1),
      vendor: z.string().min(1),
      newInJanuary2026: z.boolean(),
      markedIntegrated: z.boolean(),
    }),
  ),
});

/** The catalog as the product description lists it (`catalog.json`, copied from the shared seed). */
export const catalog = fileSchema.parse(catalogFile);

/** The registry's categories, in the product description's order. */
export const CATEGORIES = catalog.categories as readonly string[];

/** Service ids that would shadow a platform server's tools (`<service>_<tool>`), now or later. */
export const RESERVED_IDS: readonly string[] = [
  'users',
  'audit',
  'crm',
  'reviews',
  'agents',
  'memory',
  'registry',
  'billing',
  'analytics',
  'bench',
  'gateway',
  'platform',
  'admin',
  'api',
  'mcp',
  'system',
  'core',
  'web',
];

/** The rows the catalog file describes, with the defaults every service starts with. */
export function catalogRows(): (typeof registryServices.$inferInsert)[] {
  const positions = new Map<string, number>();
  return catalog.services.map((s) => {
    const position = (positions.get(s.category) ?? 0) + 1;
    positions.set(s.category, position);
    return {
      id: s.id,
      name: s.name,
      category: s.category,
      vendor: s.vendor,
      newInJanuary2026: s.newInJanuary2026,
      integrated: s.markedIntegrated,
      // The file's order within a category, with room to slot services in between.
      sortOrder: position * 10,
      // Every listed service is a SaaS reached with an account key; admins refine this per service.
      auth: 'api_key' as const,
      credentialFields: [{ name: 'API_KEY', label: `${s.name} API key`, required: true, secret: true }],
    };
  });
}

/**
 * Loads the catalog file into the database: services missing by id are inserted, existing ones
 * are never touched, so what staff changed survives every restart. Safe to run on every start.
 */
export async function seedCatalog(db: Db): Promise<{ inserted: number }> {
  const inserted = await db
    .insert(registryServices)
    .values(catalogRows())
    .onConflictDoNothing()
    .returning({ id: registryServices.id });
  return { inserted: inserted.length };
}
