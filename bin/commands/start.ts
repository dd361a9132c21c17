import type { Config } from '../../core/config.ts';
import { startAdminEndpoint } from '../../gateway/admin-endpoint.ts';
import { buildConsole, consoleBuilt } from '../../gateway/http/routes/console.ts';
import { createPlatform, listen } from '../../gateway/platform.ts';

/** `bizosaas start` (`npm start`): the whole platform in one process, until SIGINT/SIGTERM. */
export async function startCommand(config: Config): Promise<void> {
  // A fresh clone has no web/dist: build the console once so `npm install && npm start` serves it.
  if (!consoleBuilt()) {
    console.log('Building the web console into web/dist (once; `npm run build` rebuilds it)…');
    await buildConsole().catch((error: unknown) => {
      console.error(
        `The web console could not be built (${(error as Error).message}); the API runs without it.`,
      );
    });
  }
  const platform = await createPlatform(config);
  const { server, url } = await listen(platform);
  const admin = await startAdminEndpoint(
    config.dataDir,
    { db: platform.database.db, agents: platform.agents },
    platform.log,
  );
  if (config.automationIntervalMs > 0) platform.automation.start(config.automationIntervalMs);
  const { firstAdmin } = platform;
  if (firstAdmin.created) {
    console.log(`\nFirst super admin created: ${firstAdmin.email}`);
    if (firstAdmin.generatedPassword) {
      console.log(`Generated password (shown only now): ${firstAdmin.generatedPassword}\n`);
    }
  }
  console.log(`BizOSaaS is running at ${url} (database: ${platform.database.kind}, data: ${config.dataDir})`);
  platform.log.info({ url, database: platform.database.kind }, 'listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    platform.log.info({ signal }, 'shutting down');
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await admin.close();
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
