import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { auditLog } from '../../core/audit/schema.ts';
import { users } from '../../servers/users/schema.ts';
import { httpClient } from '../support/http.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../support/world.ts';

describe('"View As" impersonation', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  async function rootSession() {
    const http = httpClient(world.url);
    await http.login('root@bizosaas.test', DEMO_PASSWORD);
    return http;
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('gives a super admin a 15-minute token that acts as the user, with the actor in an act claim', async () => {
    const root = await rootSession();
    const ninaId = await world.userId('nina@northwind.test');
    const res = await root.post(`/api/admin/impersonate/${ninaId}`);
    expect(res.status).to.equal(200);
    const claims = decodeJwt(res.json.token);
    expect(claims.sub).to.equal(ninaId);
    expect(claims.act).to.deep.equal({ sub: await world.userId('root@bizosaas.test') });
    expect((claims.exp as number) - (claims.iat as number)).to.equal(15 * 60);
    expect(new Date(res.json.expiresAt).getTime()).to.be.closeTo(Date.now() + 15 * 60_000, 5000);

    const me = await httpClient(world.url).get('/api/me', bearer(res.json.token));
    expect(me.status).to.equal(200);
    expect(me.json.user.email).to.equal('nina@northwind.test');
    expect(me.json.impersonator).to.deep.equal({
      id: await world.userId('root@bizosaas.test'),
      email: 'root@bizosaas.test',
    });
    expect(me.json.via).to.equal('impersonation');
  });

  it('acts with the user’s rights, and audits every call with both identities', async () => {
    const root = await rootSession();
    const { token } = (await root.post('/api/admin/impersonate/carol@acme.test')).json;
    const as = httpClient(world.url);
    const tools = (await as.get('/api/tools', bearer(token))).json.tools.map((t: { name: string }) => t.name);
    expect(tools).to.include('users_update_profile');
    expect(tools).to.not.include.members(['users_set_role', 'users_impersonate', 'audit_search']);
    const updated = await as.request(
      'POST',
      '/api/tools/users_update_profile',
      { jobTitle: 'Office Lead' },
      bearer(token),
    );
    expect(updated.status).to.equal(200);
    const acme = await as.request('POST', '/api/tools/users_list', {}, bearer(token));
    expect(
      acme.json.result.items.every((u: { tenant: { slug: string } }) => u.tenant.slug === 'acme'),
    ).to.equal(true);
    await world.platform.audit.flush();
    const [record] = await world.database.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tool, 'users_update_profile'),
          eq(auditLog.userId, await world.userId('carol@acme.test')),
        ),
      );
    expect(record).to.include({
      impersonatorId: await world.userId('root@bizosaas.test'),
      impersonatorEmail: 'root@bizosaas.test',
      via: 'impersonation',
      outcome: 'ok',
    });
    const timeline = (await world.platform.gateway.callTool(
      await world.as('ops@bizosaas.test'),
      'audit_user_timeline',
      {
        user: 'root@bizosaas.test',
        action: 'update_profile',
      },
    )) as { items: { user: { email: string }; impersonator: { email: string } }[] };
    expect(timeline.items[0]).to.deep.include({
      user: { id: await world.userId('carol@acme.test'), email: 'carol@acme.test' },
    });
  });

  it('refuses privilege, credential, session and key changes, and nested impersonation, while impersonating', async () => {
    const root = await rootSession();
    const { token } = (await root.post('/api/admin/impersonate/paula@brightpath.test')).json;
    const as = httpClient(world.url);
    const attempts: [string, Record<string, unknown>][] = [
      ['users_set_role', { user: 'nina@northwind.test', role: 'client' }],
      ['users_set_features', { user: 'nina@northwind.test', features: { ai: false } }],
      ['users_create_api_key', { name: 'sneaky' }],
      ['users_revoke_sessions', { user: 'nina@northwind.test' }],
      ['users_sign_out_other_sessions', {}],
      ['users_force_password_reset', { user: 'nina@northwind.test' }],
      ['users_impersonate', { user: 'nina@northwind.test' }],
    ];
    for (const [tool, args] of attempts) {
      const res = await as.request('POST', `/api/tools/${tool}`, args, bearer(token));
      expect(res.status, tool).to.equal(403);
      expect(res.json.error.code, tool).to.equal('forbidden');
    }
    const nested = await as.request('POST', '/api/admin/impersonate/nina@northwind.test', {}, bearer(token));
    expect(nested.status).to.equal(403);
    const [nina] = await world.database.db.select().from(users).where(eq(users.email, 'nina@northwind.test'));
    expect(nina?.features.ai).to.equal(true);
  });

  it('is for super admins only, and never on a super admin', async () => {
    const ops = httpClient(world.url);
    await ops.login('ops@bizosaas.test', DEMO_PASSWORD);
    expect((await ops.post('/api/admin/impersonate/nina@northwind.test')).status).to.equal(403);
    const root = await rootSession();
    await world.platform.gateway.callTool(await world.as('root@bizosaas.test'), 'users_set_role', {
      user: 'ops@bizosaas.test',
      role: 'super_admin',
    });
    const onSuper = await root.post('/api/admin/impersonate/ops@bizosaas.test');
    expect(onSuper.status).to.equal(403);
    expect(onSuper.json.error.message).to.match(/Super admins cannot be impersonated/);
    await world.platform.gateway.callTool(await world.as('root@bizosaas.test'), 'users_set_role', {
      user: 'ops@bizosaas.test',
      role: 'admin',
    });
    expect((await root.post('/api/admin/impersonate/not-an-email')).status).to.equal(400);
    expect((await root.post('/api/admin/impersonate/ghost@nowhere.test')).status).to.equal(404);
    expect((await root.post('/api/admin/impersonate/root@bizosaas.test')).status).to.equal(400);
  });

  it('ends on DELETE /api/admin/impersonate, and the token is refused on the next request', async () => {
    const root = await rootSession();
    const { token } = (await root.post('/api/admin/impersonate/bob@northwind.test')).json;
    const as = httpClient(world.url);
    expect((await as.get('/api/me', bearer(token))).status).to.equal(200);
    expect((await as.request('DELETE', '/api/admin/impersonate', undefined, bearer(token))).status).to.equal(
      204,
    );
    expect((await as.get('/api/me', bearer(token))).status).to.equal(401);
  });

  it('stops working when the actor is no longer a super admin, or the token was tampered with', async () => {
    const root = await rootSession();
    const { token } = (await root.post('/api/admin/impersonate/dave@acme.test')).json;
    const [header, payload, signature] = token.split('.');
    const forged = [
      header,
      Buffer.from(
        JSON.stringify({ ...decodeJwt(token), sub: await world.userId('ops@bizosaas.test') }),
      ).toString('base64url'),
      signature,
    ].join('.');
    expect((await httpClient(world.url).get('/api/me', bearer(forged))).status).to.equal(401);
    expect(payload).to.be.a('string');

    await world.platform.gateway.callTool(await world.as('root@bizosaas.test'), 'users_set_role', {
      user: 'ops@bizosaas.test',
      role: 'super_admin',
    });
    const opsSession = httpClient(world.url);
    await opsSession.login('ops@bizosaas.test', DEMO_PASSWORD);
    const opsToken = (await opsSession.post('/api/admin/impersonate/dave@acme.test')).json.token;
    await world.platform.gateway.callTool(await world.as('root@bizosaas.test'), 'users_set_role', {
      user: 'ops@bizosaas.test',
      role: 'admin',
    });
    expect((await httpClient(world.url).get('/api/me', bearer(opsToken))).status).to.equal(401);
    expect((await httpClient(world.url).get('/api/me', bearer(token))).status).to.equal(200);
  });
});
