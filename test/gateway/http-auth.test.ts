import { expect } from 'chai';
import { DEMO_PASSWORD, startWorld, type World } from '../support/world.ts';
import { httpClient } from '../support/http.ts';

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
