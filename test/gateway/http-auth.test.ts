import { expect } from 'chai';
import { httpClient } from '../support/http.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../support/world.ts';

describe('HTTP auth and REST adapters', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  it('signs in with email and password and shows the caller at /api/me', async () => {
    const http = httpClient(world.url);
    const login = await http.login('ops@bizosaas.test', DEMO_PASSWORD);
    expect(login.status).to.equal(200);
    expect(login.json.user).to.include({ email: 'ops@bizosaas.test', role: 'admin' });
    expect(login.headers.get('set-cookie')).to.match(/bizosaas_session=[^;]+;.*HttpOnly/i);
    const me = await http.get('/api/me');
    expect(me.status).to.equal(200);
    expect(me.json.user.tenant.slug).to.equal('hq');
    expect(me.json.impersonator).to.equal(null);
  });

  it('refuses a wrong password with 401 and the same message as an unknown email', async () => {
    const http = httpClient(world.url);
    const wrong = await http.login('ops@bizosaas.test', 'not the password');
    const unknown = await http.login('nobody@bizosaas.test', 'not the password');
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.json.error).to.deep.equal(unknown.json.error);
    expect(wrong.json.error.code).to.equal('unauthenticated');
  });
});

describe('HTTP sessions', () => {
  let world: World;
  before(async () => {
    world = await startWorld({ BIZOSAAS_LOGIN_LIMIT: '3' });
  });
  after(() => world.close());

  it('logout ends the session: the same cookie is refused on the next request', async () => {
    const http = httpClient(world.url);
    await http.login('nina@northwind.test', DEMO_PASSWORD);
    const cookie = http.cookie;
    expect((await http.get('/api/me')).status).to.equal(200);
    expect((await http.post('/api/auth/logout')).status).to.equal(204);
    http.cookie = cookie;
    const after = await http.get('/api/me');
    expect(after.status).to.equal(401);
    expect(after.json.error.code).to.equal('unauthenticated');
  });

  it('a session revoked in the database is refused on the very next request', async () => {
    const http = httpClient(world.url);
    await http.login('bob@northwind.test', DEMO_PASSWORD);
    expect((await http.get('/api/me')).status).to.equal(200);
    const { sessions } = await import('../../servers/users/schema.ts');
    const { eq } = await import('drizzle-orm');
    await world.database.db
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(eq(sessions.userId, await world.userId('bob@northwind.test')));
    expect((await http.get('/api/me')).status).to.equal(401);
  });

  it('rate limits failed logins per address and email, while other accounts still sign in', async () => {
    const http = httpClient(world.url);
    for (let i = 0; i < 3; i++)
      expect((await http.login('dave@acme.test', 'wrong password')).status).to.equal(401);
    const limited = await http.login('dave@acme.test', DEMO_PASSWORD);
    expect(limited.status).to.equal(429);
    expect(limited.json.error.code).to.equal('rate_limited');
    expect((await http.login('carol@acme.test', DEMO_PASSWORD)).status).to.equal(200);
  });

  it('refuses cookie-authenticated writes from another origin (CSRF)', async () => {
    const http = httpClient(world.url);
    await http.login('carol@acme.test', DEMO_PASSWORD);
    const cross = await http.post(
      '/api/tools/users_update_profile',
      { jobTitle: 'Hacked' },
      { origin: 'https://evil.example' },
    );
    expect(cross.status).to.equal(403);
    const fetchSite = await http.post(
      '/api/tools/users_update_profile',
      { jobTitle: 'Hacked' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(fetchSite.status).to.equal(403);
    const me = await world.platform.gateway.callTool(await world.as('carol@acme.test'), 'users_get', {
      user: 'carol@acme.test',
    });
    expect((me as { user: { jobTitle: string } }).user.jobTitle).to.equal('Office Manager');
    const same = await http.post(
      '/api/tools/users_update_profile',
      { jobTitle: 'Office Lead' },
      { origin: world.url },
    );
    expect(same.status).to.equal(200);
  });
});
