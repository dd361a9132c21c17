import type { Config } from '../../core/config.ts';
import { runOperator } from '../operator-link.ts';

/**
 * `bizosaas migrate`: applies pending migrations (start does this too). With the platform running
 * on the data directory, the server has applied them when it started; the command asks it.
 */
export async function migrateCommand(config: Config): Promise<void> {
  const { applied, known } = await runOperator(config, 'migrations.status', {});
  console.log(`Migrations up to date: ${applied} of ${known} applied.`);
}
