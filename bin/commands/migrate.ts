import type { Config } from '../../core/config.ts';
import { applyMigrations } from '../../core/db/migrate.ts';
import { openConfiguredDatabase } from '../../gateway/platform.ts';

/** `bizosaas migrate`: applies pending migrations (start does this too). */
export async function migrateCommand(config: Config): Promise<void> {
  const database = await openConfiguredDatabase(config);
  try {
    await applyMigrations(database);
    console.log(`Migrations applied (${database.kind}).`);
  } finally {
    await database.close();
  }
}
