import { expect } from 'chai';
import { httpClient } from '../support/http.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../support/world.ts';

describe('REST adapters over gateway.callTool', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  it('GET /api/tools lists the caller’s tools with their JSON schemas and access rules', async () => {
    const http = httpClient(world.url);
    await http.login('ops@bizosaas.test', DEMO_PASSWORD);
    const res = await http.get('/api/tools');
    expect(res.status).to.equal(200);
    const setRole = res.json.tools.find((t: { name: string }) => t.name === 'users_set_role');
    expect(setRole.inputSchema.type).to.equal('object');
    expect(setRole.inputSchema.properties.role.enum).to.include('partner');
    expect(setRole.inputSchema.additionalProperties).to.equal(false);
    expect(setRole.access).to.include({ permission: 'users.roles' });
    expect(setRole.annotations).to.include({ readOnlyHint: false });
  });

  it('POST /api/tools/:name calls the tool and maps errors to HTTP statuses', async () => {
    const http = httpClient(world.url);
    await http.login('ops@bizosaas.test', DEMO_PASSWORD);
    const ok = await http.post('/api/tools/users_list', { role: 'partner' });
    expect(ok.status).to.equal(200);
    expect(ok.json.result.items.map((u: { email: string }) => u.email)).to.deep.equal([
      'paula@brightpath.test',
    ]);
    const bad = await http.post('/api/tools/users_list', { pageSize: 'lots' });
    expect(bad.status).to.equal(400);
    expect(bad.json.error.details.fields[0].field).to.equal('pageSize');
    const missing = await http.post('/api/tools/users_get', { user: 'ghost@nowhere.test' });
    expect(missing.status).to.equal(404);
    const unknown = await http.post('/api/tools/nope_nothing', {});
    expect(unknown.status).to.equal(404);
    const forbidden = await http.post('/api/tools/users_set_role', {
      user: 'root@bizosaas.test',
      role: 'client',
    });
    expect(forbidden.status).to.equal(403);
    const conflict = await http.post('/api/tools/users_invite', {
      email: 'nina@northwind.test',
      name: 'Nina Again',
      tenant: 'northwind',
    });
    expect(conflict.status).to.equal(409);
  });

  it('answers without a session with 401, and never with a stack trace', async () => {
    const http = httpClient(world.url);
    const res = await http.post('/api/tools/users_list', {});
    expect(res.status).to.equal(401);
    expect(res.text).to.not.match(/at .*\.ts:\d+/);
  });

  it('answers malformed JSON with bad_request', async () => {
    const http = httpClient(world.url);
    await http.login('ops@bizosaas.test', DEMO_PASSWORD);
    const res = await http.request('POST', '/api/tools/users_list', '{"role": ', {
      'content-type': 'application/json',
    });
    expect(res.status).to.equal(400);
    expect(res.json.error).to.deep.equal({
      code: 'bad_request',
      message: 'The request body is not valid JSON.',
    });
  });

  it('sends security headers and answers health checks', async () => {
    const res = await fetch(`${world.url}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.include({ status: 'ok' });
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('content-security-policy')).to.be.a('string');
    expect(res.headers.get('x-powered-by')).to.equal(null);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${world.url}/api/nothing-here`);
    expect(res.status).to.equal(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('not_found');
  });
});

describe('per-tenant concurrency limit', () => {
  let world: World;
  before(async () => {
    world = await startWorld({ BIZOSAAS_TENANT_CONCURRENCY: '1' });
  });
  after(() => world.close());

  it('does not make a cross-domain lookup wait behind the call that made it', async () => {
    const ops = await world.as('ops@bizosaas.test');
    const calls = [1, 2, 3].map(() =>
      world.platform.gateway.callTool(ops, 'audit_search', { user: 'nina@northwind.test' }),
    );
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error('calls waited on themselves')), 5000),
    );
    const results = (await Promise.race([Promise.all(calls), timeout])) as { total: number }[];
    expect(results).to.have.length(3);
  });
});
