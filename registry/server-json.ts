import type { ServiceRow } from './refs.ts';
import type { PackageRef } from './schema.ts';

/** The namespace of our catalog's names in the MCP Registry's reverse-DNS form. */
export const NAMESPACE = 'io.bizosaas';
const SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
const OFFICIAL_META = 'io.modelcontextprotocol.registry/official';
const CATALOG_META = 'io.bizosaas/catalog';

export const serverName = (serviceId: string) => `${NAMESPACE}/${serviceId}`;

/** server.json limits descriptions to 100 characters: cut at a word, with an ellipsis. */
function shorten(text: string, max = 100): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > max / 2 ? cut.slice(0, atWord) : cut).trimEnd()}…`;
}

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/;

/** The npm package of a stdio service: as declared, or read from an `npx <package>@<exact version>` command. */
function npmPackageOf(row: ServiceRow): PackageRef | undefined {
  if (row.package) return row.package;
  const connection = row.connection;
  if (connection?.transport !== 'stdio' || !/(^|\/)npx$/.test(connection.command)) return undefined;
  for (const arg of connection.args) {
    const match = /^((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)@(.+)$/.exec(arg);
    if (match && EXACT_VERSION.test(match[2] as string)) {
      return { registryType: 'npm', identifier: match[1] as string, version: match[2] as string };
    }
  }
  return undefined;
}

/** One catalog service in the official MCP Registry's `server.json` format, with its registry metadata. */
export function serverResponse(row: ServiceRow) {
  const pkg = npmPackageOf(row);
  const environmentVariables = row.credentialFields.map((f) => ({
    name: f.name,
    description: f.description ?? f.label,
    isRequired: f.required,
    isSecret: f.secret,
  }));
  const connection = row.connection;
  const server = {
    $schema: SCHEMA_URL,
    name: serverName(row.id),
    title: shorten(row.name),
    description: shorten(row.description ?? `${row.name}: ${row.category} by ${row.vendor}`),
    version: pkg?.version ?? row.version,
    ...(row.website ? { websiteUrl: row.website } : {}),
    ...(pkg && (!connection || connection.transport === 'stdio')
      ? {
          packages: [
            {
              registryType: pkg.registryType,
              identifier: pkg.identifier,
              version: pkg.version,
              transport: { type: 'stdio' },
              ...(environmentVariables.length ? { environmentVariables } : {}),
            },
          ],
        }
      : {}),
    ...(connection?.transport === 'http'
      ? {
          remotes: [
            {
              type: 'streamable-http',
              url: connection.url,
              ...(row.auth !== 'none'
                ? {
                    headers: [
                      {
                        name: 'Authorization',
                        description: `Bearer <${row.credentialFields[0]?.label ?? 'access token'}>`,
                        isRequired: true,
                        isSecret: true,
                      },
                    ],
                  }
                : {}),
            },
          ],
        }
      : {}),
  };
  return {
    server,
    _meta: {
      [OFFICIAL_META]: {
        status: 'active',
        publishedAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
        isLatest: true,
      },
      [CATALOG_META]: {
        id: row.id,
        category: row.category,
        vendor: row.vendor,
        featured: row.featured,
        affiliateUrl: row.affiliateUrl,
        newInJanuary2026: row.newInJanuary2026,
        tiers: row.tiers,
        auth: row.auth,
      },
    },
  };
}
