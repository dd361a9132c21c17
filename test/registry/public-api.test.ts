import { expect } from 'chai';
import { httpClient } from '../support/http.ts';
import { startWorld, type World } from '../support/world.ts';

// The official MCP Registry's server.json schema (2025-12-11): what a registry-aware client relies on.
const NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
const VERSION_RANGE = /^[\^~><=]|\.x$|\.\*$|^\*$/;
const REMOTE_URL = /^(https?:\/\/[^\s]+|\{[a-zA-Z_][a-zA-Z0-9_]*\}[^\s]*)$/;

interface ServerJson {
  name: string;
  description: string;
  version: string;
  title?: string;
  websiteUrl?: string;
  packages?: {
    registryType: string;
    identifier: string;
    version: string;
    transport: { type: string };
    environmentVariables?: { name: string; isSecret?: boolean; isRequired?: boolean }[];
  }[];
  remotes?: { type: string; url: string; headers?: { name: string }[] }[];
}
interface ServerResponse {
  server: ServerJson;
  _meta: Record<string, Record<string, unknown>>;
}

/** The schema's required fields and constraints, checked one by one; returns what is wrong. */
function problemsOf(entry: ServerResponse): string[] {
  const s = entry.server;
  const problems: string[] = [];
  if (typeof s?.name !== 'string' || !NAME.test(s.name) || s.name.length < 3 || s.name.length > 200)
    problems.push(`name ${s?.name}`);
  if (typeof s.description !== 'string' || s.description.length < 1 || s.description.length > 100)
    problems.push(`description of ${s.name} (${s.description?.length} chars)`);
  if (typeof s.version !== 'string' || !s.version || s.version.length > 255 || VERSION_RANGE.test(s.version))
    problems.push(`version of ${s.name}`);
  if (s.title !== undefined && (s.title.length < 1 || s.title.length > 100))
    problems.push(`title of ${s.name}`);
  if (s.websiteUrl !== undefined && !URL.canParse(s.websiteUrl)) problems.push(`websiteUrl of ${s.name}`);
  for (const p of s.packages ?? []) {
    if (!p.registryType || !p.identifier) problems.push(`package of ${s.name}: registryType/identifier`);
    if (
      typeof p.version !== 'string' ||
      !p.version ||
      p.version === 'latest' ||
      VERSION_RANGE.test(p.version)
    )
      problems.push(`package version of ${s.name}: ${p.version}`);
    if (!['stdio', 'streamable-http', 'sse'].includes(p.transport?.type))
      problems.push(`package transport of ${s.name}`);
    for (const v of p.environmentVariables ?? []) if (!v.name) problems.push(`env var of ${s.name}`);
  }
  for (const r of s.remotes ?? []) {
    if (!['streamable-http', 'sse'].includes(r.type)) problems.push(`remote type of ${s.name}`);
    if (typeof r.url !== 'string' || !REMOTE_URL.test(r.url)) problems.push(`remote url of ${s.name}`);
    for (const h of r.headers ?? []) if (!h.name) problems.push(`header of ${s.name}`);
  }
  const official = entry._meta?.['io.modelcontextprotocol.registry/official'];
  if (official?.status !== 'active') problems.push(`status of ${s.name}`);
  return problems;
}

describe('registry: the public registry API (/v0, official MCP Registry format)', () => {
  let world: World;
  const http = () => httpClient(world.url);
  before(async () => {
    world = await startWorld();
    const ops = await world.as('ops@bizosaas.test');
    const call = (tool: string, args: Record<string, unknown>) =>
      world.platform.gateway.callTool(ops, tool, args);
    await call('registry_update_service', { service: 'cloudways', status: 'deprecated' });
    await call('registry_remove_service', { service: 'wix' });
    await call('registry_update_service', {
      service: 'hubspot',
      website: 'https://www.hubspot.com',
      description:
        'HubSpot CRM: contacts, companies, deals, tickets and marketing email, all connected to one timeline of every customer interaction.',
    });
    await call('registry_add_service', {
      id: 'kg-memory',
      name: 'Knowledge Graph Memory',
      category: 'Utilities/Project Management',
      vendor: 'Model Context Protocol',
      connection: {
        transport: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory@2026.8.31'],
      },
      credentialFields: [{ name: 'KG_NAMESPACE', secret: false, required: false }],
    });
    await call('registry_add_service', {
      id: 'remote-docs',
      name: 'Remote Docs',
      category: 'Search',
      vendor: 'Docs Inc.',
      connection: { transport: 'http', url: 'https://docs.example/mcp' },
      auth: 'api_key',
      credentialFields: [{ name: 'DOCS_TOKEN', label: 'Docs token' }],
    });
  });
  after(() => world.close());

  it('lists every active service, paged by cursor, each valid against the schema’s required fields', async () => {
    const seen: ServerResponse[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await http().get(
        `/v0/servers?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.contain('application/json');
      expect(res.json.metadata.count).to.equal(res.json.servers.length);
      seen.push(...res.json.servers);
      cursor = res.json.metadata.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    // 75 from the catalog, less the deprecated and the removed one, plus the two added.
    expect(seen).to.have.length(75 - 2 + 2);
    expect(pages).to.equal(4);
    const names = seen.map((s) => s.server.name);
    expect(new Set(names).size).to.equal(names.length);
    expect(names).to.include.members([
      'io.bizosaas/hubspot',
      'io.bizosaas/kg-memory',
      'io.bizosaas/remote-docs',
    ]);
    expect(names).to.not.include.members(['io.bizosaas/wix', 'io.bizosaas/cloudways']);
    expect(seen.flatMap(problemsOf)).to.deep.equal([]);
    const first = await http().get('/v0/servers');
    expect(first.json.servers).to.have.length(30);
  });

  it('describes packages and remotes in the official shape, and cuts long descriptions to 100 characters', async () => {
    const get = async (id: string) =>
      (await http().get(`/v0/servers/${encodeURIComponent(`io.bizosaas/${id}`)}`)).json as ServerResponse;
    const memory = await get('kg-memory');
    expect(memory.server.packages).to.deep.equal([
      {
        registryType: 'npm',
        identifier: '@modelcontextprotocol/server-memory',
        version: '2026.8.31',
        transport: { type: 'stdio' },
        environmentVariables: [
          { name: 'KG_NAMESPACE', description: 'KG_NAMESPACE', isRequired: false, isSecret: false },
        ],
      },
    ]);
    expect(memory.server.version).to.equal('2026.8.31');
    const remote = await get('remote-docs');
    expect(remote.server.remotes?.[0]).to.deep.include({
      type: 'streamable-http',
      url: 'https://docs.example/mcp',
    });
    expect(remote.server.remotes?.[0]?.headers?.[0]).to.deep.include({
      name: 'Authorization',
      isSecret: true,
    });
    expect(remote.server.packages).to.equal(undefined);
    const hubspot = await get('hubspot');
    expect(hubspot.server.description.length).to.be.at.most(100);
    expect(hubspot.server.description)
      .to.match(/^HubSpot CRM: contacts/)
      .and.match(/…$/);
    expect(hubspot.server.websiteUrl).to.equal('https://www.hubspot.com');
    expect(hubspot._meta['io.bizosaas/catalog']).to.deep.include({ category: 'CRM', vendor: 'HubSpot' });
    for (const entry of [memory, remote, hubspot]) expect(problemsOf(entry)).to.deep.equal([]);
  });

  it('answers one server by URL-encoded name, and its latest version', async () => {
    const one = await http().get('/v0/servers/io.bizosaas%2Fzoho-crm');
    expect(one.status).to.equal(200);
    expect(one.json.server.name).to.equal('io.bizosaas/zoho-crm');
    const latest = await http().get('/v0/servers/io.bizosaas%2Fzoho-crm/versions/latest');
    expect(latest.json).to.deep.equal(one.json);
    const exact = await http().get(`/v0/servers/io.bizosaas%2Fzoho-crm/versions/${one.json.server.version}`);
    expect(exact.status).to.equal(200);
    expect((await http().get('/v0/servers/io.bizosaas%2Fzoho-crm/versions/9.9.9')).status).to.equal(404);
    const versions = await http().get('/v0/servers/io.bizosaas%2Fzoho-crm/versions');
    expect(versions.json.servers).to.deep.equal([one.json]);
    for (const missing of [
      'io.bizosaas%2Fwix',
      'io.bizosaas%2Fcloudways',
      'io.bizosaas%2Fnope',
      'com.other%2Fhubspot',
    ]) {
      const res = await http().get(`/v0/servers/${missing}`);
      expect(res.status, missing).to.equal(404);
    }
  });

  it('searches by name, is public and read-only, and refuses a bad limit', async () => {
    const search = await http().get('/v0/servers?search=zoho&limit=100');
    const names = search.json.servers.map((s: ServerResponse) => s.server.name);
    expect(names.length).to.be.greaterThan(10);
    expect(names.every((n: string) => n.includes('zoho'))).to.equal(true);
    expect(search.json.metadata.nextCursor).to.equal(undefined);
    const post = await http().post('/v0/servers', { name: 'io.evil/x' });
    expect(post.status).to.equal(405);
    expect(post.headers.get('allow')).to.equal('GET');
    for (const limit of ['0', '101', 'abc', '1.5']) {
      const res = await http().get(`/v0/servers?limit=${limit}`);
      expect(res.status, limit).to.equal(400);
      expect(res.json.error.code).to.equal('bad_request');
    }
  });
});
