import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';

const serverUrls = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const urls: Record<string, string> = {};
    for (const pair of (value ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const at = pair.indexOf('=');
      const name = at > 0 ? pair.slice(0, at).trim() : '';
      const url = at > 0 ? pair.slice(at + 1).trim() : '';
      if (!name || !url || !URL.canParse(url)) {
        ctx.addIssue({
          code: 'custom',
          message: `expected name=url pairs separated by commas, got "${pair}"`,
        });
        continue;
      }
      urls[name] = url;
    }
    return urls;
  });

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  BIZOSAAS_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL'),
  BIZOSAAS_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  BIZOSAAS_ADMIN_EMAIL: z.email().default('admin@bizosaas.local'),
  BIZOSAAS_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  BIZOSAAS_PUBLIC_URL: z.url().optional(),
  BIZOSAAS_SERVER_URLS: serverUrls,
  BIZOSAAS_GATEWAY_URL: z.url().optional(),
  BIZOSAAS_AVATAR_DIR: z.string().min(1).optional(),
  BIZOSAAS_AVATAR_MAX_BYTES: z.coerce.number().int().min(1024).max(20_000_000).default(2_000_000),
  BIZOSAAS_SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 7),
  BIZOSAAS_LOGIN_LIMIT: z.coerce.number().int().positive().default(10),
  BIZOSAAS_TENANT_CONCURRENCY: z.coerce.number().int().positive().default(16),
  BIZOSAAS_TRUST_PROXY: z.string().default(''),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  BIZOSAAS_MODEL: z.string().min(1).max(200).optional(),
  BIZOSAAS_MODEL_API: z.enum(['chat', 'responses']).optional(),
  BIZOSAAS_AGENT_MAX_STEPS: z.coerce.number().int().min(1).max(50).default(8),
  BIZOSAAS_AUTOMATION_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Given in the environment; otherwise `core/secrets.ts` generates and persists one. */
  secret: string | undefined;
  admin: { email: string; password: string | undefined };
  publicUrl: string;
  /** Domain servers reached over Streamable HTTP instead of in-process, by server name. */
  serverUrls: Record<string, string>;
  /** For a domain server run on its own (`bizosaas serve`): the gateway it calls back for cross-domain tools. */
  gatewayUrl: string | undefined;
  /** Where avatar images are stored (default `<data dir>/avatars`) and the largest upload accepted. */
  avatars: { dir: string; maxBytes: number };
  sessionTtlHours: number;
  loginLimit: number;
  tenantConcurrency: number;
  /** Express `trust proxy` setting: empty for none, else hops, `loopback`, or addresses. */
  trustProxy: string | number | false;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /**
   * The agents' language model: OpenAI or an OpenAI-compatible server, or none (the offline
   * command model). `api` is Chat Completions (what compatible servers speak) or Responses.
   */
  model: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    id: string | undefined;
    api: 'chat' | 'responses' | undefined;
  };
  agentMaxSteps: number;
  /** How often task automation looks for due tasks, new events and queued runs; 0 turns it off. */
  automationIntervalMs: number;
}

/** Reads and validates the environment; the only place that touches `process.env`. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable (`PORT=` in an env file) means unset, not zero or an empty value.
  const given = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError('bad_request', `Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.BIZOSAAS_DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    secret: e.BIZOSAAS_SECRET,
    admin: { email: e.BIZOSAAS_ADMIN_EMAIL.toLowerCase(), password: e.BIZOSAAS_ADMIN_PASSWORD },
    publicUrl: e.BIZOSAAS_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    serverUrls: e.BIZOSAAS_SERVER_URLS,
    gatewayUrl: e.BIZOSAAS_GATEWAY_URL,
    avatars: {
      dir: path.resolve(e.BIZOSAAS_AVATAR_DIR ?? path.join(e.BIZOSAAS_DATA_DIR, 'avatars')),
      maxBytes: e.BIZOSAAS_AVATAR_MAX_BYTES,
    },
    sessionTtlHours: e.BIZOSAAS_SESSION_TTL_HOURS,
    loginLimit: e.BIZOSAAS_LOGIN_LIMIT,
    tenantConcurrency: e.BIZOSAAS_TENANT_CONCURRENCY,
    trustProxy:
      e.BIZOSAAS_TRUST_PROXY === ''
        ? false
        : /^\d+$/.test(e.BIZOSAAS_TRUST_PROXY)
          ? Number(e.BIZOSAAS_TRUST_PROXY)
          : e.BIZOSAAS_TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    model: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      id: e.BIZOSAAS_MODEL,
      api: e.BIZOSAAS_MODEL_API,
    },
    agentMaxSteps: e.BIZOSAAS_AGENT_MAX_STEPS,
    automationIntervalMs: e.BIZOSAAS_AUTOMATION_INTERVAL_MS,
  };
}
