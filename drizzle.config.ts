import { defineConfig } from 'drizzle-kit';

// Each domain owns its tables in its own schema file; one migration history covers them all.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./core/**/schema.ts', './servers/*/schema.ts', './registry/schema.ts'],
  out: './core/db/migrations',
});
