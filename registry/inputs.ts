import { z } from 'zod';
import { CATEGORIES } from './catalog.ts';
import { AUTH_KINDS, SERVICE_STATUSES, TIERS } from './schema.ts';

/** Registry input fields, bounded and described once. */
export const serviceRef = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .describe('The service: its id (hubspot) or its exact name (HubSpot), in any case.');

export const serviceId = z
  .string()
  .trim()
  .regex(
    /^[a-z][a-z0-9-]{1,39}$/,
    'must be 2–40 lowercase letters, digits and dashes, starting with a letter',
  )
  .describe('The new service id, e.g. "kg-memory": its tools are named <id>_<tool>.');

export const category = z
  .enum(CATEGORIES as [string, ...string[]])
  .describe(`The registry category: ${CATEGORIES.join(', ')}.`);

export const status = z
  .enum(SERVICE_STATUSES)
  .describe('active, deprecated (no new connections) or removed.');
export const tier = z.enum(TIERS).describe('A tenant plan: starter, pro or enterprise.');
export const tiers = z
  .array(tier)
  .min(1)
  .max(TIERS.length)
  .refine((v) => new Set(v).size === v.length, 'each tier once')
  .describe('The plans the service is offered to.');
export const auth = z
  .enum(AUTH_KINDS)
  .describe('How tenants authenticate: none, api_key, or oauth (an access token they supply).');

export const name = z.string().trim().min(1).max(120).describe('The display name, e.g. "HubSpot".');
export const vendor = z.string().trim().min(1).max(120).describe('Who makes it.');
export const description = z.string().trim().min(1).max(1000).describe('What it does, for the marketplace.');
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(500);
export const sortOrder = z
  .number()
  .int()
  .min(0)
  .max(1_000_000)
  .describe('Lower comes first in its category.');
export const version = z
  .string()
  .trim()
  .regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/, 'must be an exact version such as 1.2.3')
  .describe('An exact version such as 1.2.3 (no ranges, not "latest").');

/** Variables a child process must never take from a tenant: they change what runs, not what it reads. */
const PROTECTED_ENV =
  /^(PATH|HOME|SHELL|USER|LOGNAME|TERM|NODE_OPTIONS|NODE_PATH|NODE_EXTRA_CA_CERTS|LD_.*|DYLD_.*)$/;
export const envName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be an environment variable name such as API_KEY')
  .refine((v) => !PROTECTED_ENV.test(v), 'is a protected environment variable');

export const connection = z
  .discriminatedUnion('transport', [
    z.strictObject({
      transport: z.literal('stdio'),
      command: z
        .string()
        .trim()
        .min(1)
        .max(500)
        .describe('The program to start (run directly, never by a shell).'),
      args: z
        .array(z.string().max(1000))
        .max(50)
        .default([])
        .describe('Its arguments; {workDir} is replaced.'),
      env: z
        .record(
          z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a variable name'),
          z.string().max(4000),
        )
        .refine((v) => Object.keys(v).length <= 50, 'at most 50 variables')
        .default({})
        .describe("Extra environment variables; {workDir} is replaced by the tenant's own directory."),
    }),
    z.strictObject({
      transport: z.literal('http'),
      url: httpUrl.describe('The Streamable HTTP endpoint of the MCP server.'),
    }),
  ])
  .describe(
    'How to reach its MCP server: {transport: "stdio", command, args?, env?} or {transport: "http", url}.',
  );

export const credentialFields = z
  .array(
    z.strictObject({
      name: envName.describe('The variable the value is passed as, e.g. API_KEY.'),
      label: z
        .string()
        .trim()
        .min(1)
        .max(120)
        .optional()
        .describe('What tenants see, e.g. "HubSpot API key".'),
      description: z.string().trim().max(500).optional(),
      required: z.boolean().default(true),
      secret: z.boolean().default(true),
    }),
  )
  .max(20)
  .refine((v) => new Set(v.map((f) => f.name)).size === v.length, 'each field name once')
  .describe('The credentials a tenant must supply when connecting.');

export const packageRef = z
  .strictObject({
    registryType: z.literal('npm').default('npm'),
    identifier: z
      .string()
      .trim()
      .regex(/^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/, 'must be an npm package name')
      .max(214),
    version,
  })
  .describe('The npm package the server is published as (for the public registry API).');

export const credentials = z
  .record(z.string().max(64), z.string().min(1).max(4096))
  .refine((v) => Object.keys(v).length <= 20, 'at most 20 values')
  .describe(
    'The service\'s credential fields, name → value (e.g. {API_KEY: "…"}). Stored encrypted, never shown.',
  );
