import { parseArgs } from 'node:util';
import type { Config } from '../../core/config.ts';
import { AppError } from '../../core/errors.ts';
import { createLogger } from '../../core/logger.ts';
import { deriveKeys, loadMasterSecret } from '../../core/secrets.ts';
import { domainServers } from '../../gateway/domain-servers.ts';
import { openConfiguredDatabase } from '../../gateway/platform.ts';
import { remoteGatewayCaller } from '../../servers/kit/gateway-client.ts';
import { serveOverHttp } from '../../servers/kit/serve-http.ts';

/**
 * `bizosaas serve <server> --port P`: one domain server in its own process, for a gateway
 * configured with BIZOSAAS_SERVER_URLS=<server>=http://host:P/mcp. It needs the same
 * BIZOSAAS_SECRET as the gateway, a Postgres server (PGlite admits one process), and
 * BIZOSAAS_GATEWAY_URL for tools that call other domains (the audit server looks users up).
 */
export async function serveCommand(config: Config, argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string', default: '0' } },
  });
  const keys = deriveKeys(loadMasterSecret(config.dataDir, config.secret));
  const domain = domainServers(config, keys).find((d) => d.name === positionals[0]);
  if (!domain) {
    throw new AppError(
      'bad_request',
      `Usage: bizosaas serve <${domainServers(config, keys)
        .map((d) => d.name)
        .join('|')}> [--port P]`,
    );
  }
  const log = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config);
  const contextKey = keys.key('call-context');
  const callTool = config.gatewayUrl ? remoteGatewayCaller(config.gatewayUrl, contextKey) : undefined;
  const server = await serveOverHttp(
    domain,
    { db: database.db, contextKey, log, ...(callTool ? { callTool } : {}) },
    { port: Number(values.port), host: config.host },
  );
  const address = server.address();
  log.info({ server: domain.name, address }, 'domain server listening');
  console.log(
    `${domain.name} server listening on ${typeof address === 'object' && address ? `http://${address.address}:${address.port}/mcp` : address}`,
  );
  const stop = () => server.close(() => void database.close().then(() => process.exit(0)));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
