import { sql } from 'drizzle-orm';
import express from 'express';
import helmet from 'helmet';
import type passport from 'passport';
import type { AgentRuntime } from '../../agents/runtime.ts';
import type { AuditBatcher } from '../../core/audit/batch-writer.ts';
import type { Config } from '../../core/config.ts';
import type { Database } from '../../core/db/connection.ts';
import type { Logger } from '../../core/logger.ts';
import { publicRegistryApi } from '../../registry/index.ts';
import { authenticate } from '../auth/authenticate.ts';
import { sameOriginForCookies } from '../auth/same-origin.ts';
import type { Gateway } from '../call-tool.ts';
import { errorHandler, notFound } from './errors.ts';
import { mcpEndpoint } from './mcp-endpoint.ts';
import { adminRoutes } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { chatRoutes } from './routes/chat.ts';
import { consoleRoutes } from './routes/console.ts';
import { profileRoutes } from './routes/profile.ts';
import { reviewWebhookRoutes } from './routes/review-webhook.ts';
import { securityRoutes } from './routes/security.ts';
import { toolRoutes } from './routes/tools.ts';

export interface HttpDeps {
  config: Config;
  database: Database;
  gateway: Gateway;
  agents: AgentRuntime;
  audit: AuditBatcher;
  passport: passport.PassportStatic;
  contextKey: Uint8Array;
  impersonationKey: Uint8Array;
  /** Decrypts MFA secrets for the second sign-in step. */
  credentialsKey: Uint8Array;
  log: Logger;
}

/** The gateway's HTTP doors: auth, REST adapters, `/mcp`, health. */
export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.use(
    helmet({
      // The console is same-origin scripts and styles; images may also be the MFA QR code
      // (data:), an avatar preview (blob:) and a partner's logo (https:).
      contentSecurityPolicy: {
        directives: {
          'img-src': ["'self'", 'data:', 'blob:', 'https:'],
          'upgrade-insecure-requests': deps.config.publicUrl.startsWith('https:') ? [] : null,
        },
      },
    }),
  );
  // Before the JSON parser: the webhook's signature covers the raw body (it parses it itself).
  app.use(
    reviewWebhookRoutes({
      db: deps.database.db,
      gateway: deps.gateway,
      audit: deps.audit,
      webhookKey: deps.credentialsKey,
    }),
  );
  // Large enough for a base64 avatar sent to users_set_avatar through /api/tools or /mcp.
  app.use(
    express.json({ limit: Math.max(1_000_000, Math.ceil((deps.config.avatars.maxBytes * 4) / 3) + 65_536) }),
  );
  app.get('/healthz', async (_req, res) => {
    await deps.database.db.execute(sql`select 1`);
    res.json({ status: 'ok', database: deps.database.kind, servers: deps.gateway.host.servers() });
  });
  app.use(publicRegistryApi(deps.database.db));
  app.use(
    authenticate(deps.database.db, { contextKey: deps.contextKey, impersonationKey: deps.impersonationKey }),
  );
  app.use(sameOriginForCookies);
  app.use(
    authRoutes({
      db: deps.database.db,
      passport: deps.passport,
      audit: deps.audit,
      sessionTtlHours: deps.config.sessionTtlHours,
      loginLimit: deps.config.loginLimit,
      secureCookies: deps.config.publicUrl.startsWith('https:'),
      credentialsKey: deps.credentialsKey,
    }),
  );
  app.use(toolRoutes(deps.gateway));
  app.use(securityRoutes(deps.gateway));
  app.use(profileRoutes(deps.gateway, deps.config.avatars));
  app.use(adminRoutes(deps.gateway));
  app.use(chatRoutes({ agents: deps.agents, gateway: deps.gateway, db: deps.database.db, log: deps.log }));
  app.use(mcpEndpoint(deps.gateway));
  app.use(consoleRoutes());
  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
