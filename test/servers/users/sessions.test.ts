import { expect } from 'chai';
import { httpClient } from '../../support/http.ts';
import { refusalOf } from '../../support/refusal.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../../support/world.ts';

interface SessionList {
  user: { email: string };
  sessions: {
    id: string;
    browser: string | null;
    os: string | null;
    device: string | null;
    ip: string | null;
    current: boolean;
  }[];
}

const FIREFOX_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('session lifecycle', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  /** Signs in from a "device" and returns its HTTP client. */
  async function device(email: string, userAgent: string) {
    const http = httpClient(world.url);
    const res = await http.request(
      'POST',
      '/api/auth/login',
      { email, password: DEMO_PASSWORD },
      { 'user-agent': userAgent },
    );
    expect(res.status).to.equal(200);
    return http;
  }

  it('lists a user’s active sessions with device, browser, system and IP, the caller’s own marked current', async () => {
    const laptop = await device('carol@acme.test', FIREFOX_MAC);
    await device('carol@acme.test', SAFARI_IPHONE);
    const own = await laptop.post('/api/tools/users_list_sessions', {});
    expect(own.status).to.equal(200);
    const list = own.json.result as SessionList;
    expect(list.sessions).to.have.length(2);
    const firefox = list.sessions.find((s) => s.browser?.startsWith('Firefox'));
    expect(firefox).to.include({ current: true, os: 'Mac OS 14.5', ip: '127.0.0.1' });
    const iphone = list.sessions.find((s) => s.browser?.startsWith('Mobile Safari'));
    expect(iphone).to.include({ current: false, device: 'Apple iPhone' });

    const byAdmin = (await world.platform.gateway.callTool(
      await world.as('ops@bizosaas.test'),
      'users_list_sessions',
      {
        user: 'carol@acme.test',
      },
    )) as unknown as SessionList;
    expect(byAdmin.sessions).to.have.length(2);
    expect(byAdmin.sessions.every((s) => !s.current)).to.equal(true);
  });

  it('revokes one session, and the next request with it is refused', async () => {
    const phone = await device('dave@acme.test', SAFARI_IPHONE);
    const laptop = await device('dave@acme.test', FIREFOX_MAC);
    const list = (await world.platform.gateway.callTool(
      await world.as('ops@bizosaas.test'),
      'users_list_sessions',
      {
        user: 'dave@acme.test',
      },
    )) as unknown as SessionList;
    const phoneSession = list.sessions.find((s) => s.browser?.startsWith('Mobile Safari'));
    const result = await world.platform.gateway.callTool(
      await world.as('ops@bizosaas.test'),
      'users_revoke_sessions',
      {
        user: 'dave@acme.test',
        sessionId: phoneSession?.id,
      },
    );
    expect(result).to.deep.include({ revoked: 1 });
    expect((await phone.get('/api/me')).status).to.equal(401);
    expect((await laptop.get('/api/me')).status).to.equal(200);
  });

  it('revokes all of a user’s sessions at once', async () => {
    const a = await device('yuki@zen.test', FIREFOX_MAC);
    const b = await device('yuki@zen.test', SAFARI_IPHONE);
    const result = await world.platform.gateway.callTool(
      await world.as('ops@bizosaas.test'),
      'users_revoke_sessions',
      { user: 'yuki@zen.test' },
    );
    expect(result).to.deep.include({ revoked: 2 });
    expect((await a.get('/api/me')).status).to.equal(401);
    expect((await b.get('/api/me')).status).to.equal(401);
  });

  it('signs out the other devices and keeps this one', async () => {
    const here = await device('nina@northwind.test', FIREFOX_MAC);
    const other = await device('nina@northwind.test', SAFARI_IPHONE);
    const res = await here.post('/api/tools/users_sign_out_other_sessions', {});
    expect(res.json.result).to.deep.equal({ revoked: 1 });
    expect((await here.get('/api/me')).status).to.equal(200);
    expect((await other.get('/api/me')).status).to.equal(401);
  });

  it('forces a password reset: signed out now, and at next sign-in only the password change is allowed', async () => {
    const before = await device('bob@northwind.test', FIREFOX_MAC);
    const result = await world.platform.gateway.callTool(
      await world.as('paula@brightpath.test'),
      'users_force_password_reset',
      {
        user: 'bob@northwind.test',
      },
    );
    expect(result).to.deep.include({ mustResetPassword: true, revokedSessions: 1 });
    expect((await before.get('/api/me')).status).to.equal(401);
    const after = await device('bob@northwind.test', FIREFOX_MAC);
    const me = await after.get('/api/me');
    expect(me.json.mustResetPassword).to.equal(true);
    const blocked = await after.post('/api/tools/users_list', {});
    expect(blocked.status).to.equal(403);
    expect(blocked.json.error.details.passwordResetRequired).to.equal(true);
  });

  it('refuses the wrong role, the wrong tenant and bad input, changing nothing', async () => {
    const phone = await device('carol@acme.test', SAFARI_IPHONE);
    const nina = await world.as('nina@northwind.test');
    const asClient = await refusalOf(
      world.platform.gateway.callTool(nina, 'users_revoke_sessions', { user: 'carol@acme.test' }),
    );
    expect(asClient.code).to.be.oneOf(['forbidden', 'not_found']);
    const clientList = await refusalOf(
      world.platform.gateway.callTool(nina, 'users_list_sessions', { user: 'bob@northwind.test' }),
    );
    expect(clientList.code).to.equal('forbidden');
    const paula = await world.as('paula@brightpath.test');
    const wrongTenant = await refusalOf(
      world.platform.gateway.callTool(paula, 'users_revoke_sessions', { user: 'yuki@zen.test' }),
    );
    expect(wrongTenant.code).to.equal('not_found');
    const support = await world.as('support@bizosaas.test');
    const outOfScope = await refusalOf(
      world.platform.gateway.callTool(support, 'users_force_password_reset', { user: 'yuki@zen.test' }),
    );
    expect(outOfScope.code).to.equal('not_found');
    const clientReset = await refusalOf(
      world.platform.gateway.callTool(nina, 'users_force_password_reset', { user: 'bob@northwind.test' }),
    );
    expect(clientReset.code).to.equal('forbidden');
    const ops = await world.as('ops@bizosaas.test');
    const adminOnRoot = await refusalOf(
      world.platform.gateway.callTool(ops, 'users_force_password_reset', { user: 'root@bizosaas.test' }),
    );
    expect(adminOnRoot.code).to.equal('forbidden');
    const badId = await refusalOf(
      world.platform.gateway.callTool(ops, 'users_revoke_sessions', {
        user: 'carol@acme.test',
        sessionId: 'nope',
      }),
    );
    expect(badId.code).to.equal('bad_request');
    expect(badId.message).to.contain('sessionId');
    const unknown = await refusalOf(
      world.platform.gateway.callTool(ops, 'users_revoke_sessions', {
        user: 'carol@acme.test',
        sessionId: 'ses_01ARZ3NDEKTSV4RRFFQ69G5FAV',
      }),
    );
    expect(unknown.code).to.equal('not_found');
    expect((await phone.get('/api/me')).status).to.equal(200);
  });
});
