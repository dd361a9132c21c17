import fs from 'node:fs';
import type { Config } from '../core/config.ts';
import { applyMigrations } from '../core/db/migrate.ts';
import { AppError, fromErrorBody } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import { type AdminLink, adminFile } from '../gateway/admin-endpoint.ts';
import { NEEDS_PLATFORM, runOperatorCommand } from '../gateway/operator-commands.ts';
import { createPlatform, openConfiguredDatabase } from '../gateway/platform.ts';

function runningServer(dataDir: string): AdminLink | undefined {
  try {
    return JSON.parse(fs.readFileSync(adminFile(dataDir), 'utf8')) as AdminLink;
  } catch {
    return undefined;
  }
}

/**
 * Runs an operator command against the data directory: through the running server when there is
 * one (it owns the embedded database), otherwise by opening and migrating the database directly.
 */
export async function runOperator(
  config: Config,
  command: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const link = runningServer(config.dataDir);
  if (link) {
    let res: Response | undefined;
    try {
      res = await fetch(`${link.url}/commands/${command}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${link.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(args),
        // An agent turn may wait on a remote model; other commands are quick.
        signal: AbortSignal.timeout(NEEDS_PLATFORM.has(command) ? 300_000 : 30_000),
      });
    } catch {
      // The server that wrote the link is gone (killed without cleanup); fall through to direct access.
    }
    if (res) {
      const body = (await res.json()) as { result?: Record<string, unknown>; error?: unknown };
      if (!res.ok)
        throw (
          fromErrorBody(body.error) ?? new AppError('internal', `The running server answered ${res.status}.`)
        );
      return body.result ?? {};
    }
  }
  if (NEEDS_PLATFORM.has(command)) {
    const platform = await createPlatform(config, { log: createLogger('silent') });
    if (platform.firstAdmin.generatedPassword) {
      console.error(
        `First super admin created: ${platform.firstAdmin.email}; generated password (shown only now): ${platform.firstAdmin.generatedPassword}`,
      );
    }
    try {
      return await runOperatorCommand({ db: platform.database.db, agents: platform.agents }, command, args);
    } finally {
      await platform.close();
    }
  }
  const database = await openConfiguredDatabase(config);
  try {
    await applyMigrations(database);
    return await runOperatorCommand({ db: database.db }, command, args);
  } finally {
    await database.close();
  }
}
