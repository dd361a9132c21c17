import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../../core/audit/schema.ts';
import { hashToken } from '../../../core/tokens.ts';
import { apiKeys } from '../../../servers/users/schema.ts';
import { httpClient } from '../../support/http.ts';
import { refusalOf } from '../../support/refusal.ts';
import { startWorld, type World } from '../../support/world.ts';

const ROOT = 'root@bizosaas.test';
const OPS = 'ops@bizosaas.test';
const NINA = 'nina@northwind.test';
const BOB = 'bob@northwind.test';
const CAROL = 'carol@acme.test';

interface KeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
interface Created {
  apiKey: { id: string; name: string; prefix: string; key: string; createdAt: string };
  notice: string;
}
interface Revoked {
  user: { id: string; email: string };
  key: KeyView;
  alreadyRevoked: boolean;
}

describe('API keys (users_create_api_key, users_list_api_keys, users_revoke_api_key)', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  const call = async (as: string, tool: string, args: Record<string, unknown>) =>
    world.platform.gateway.callTool(await world.as(as), tool, args);
  const create = async (as: string, name: string) =>
    (await call(as, 'users_create_api_key', { name })) as unknown as Created;
  const keyRow = async (id: string) =>
    (await world.database.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0];
  /** GET /api/me with the key as a bearer token, as a script or MCP client would. */
  const me = (key: string) => httpClient(world.url).get('/api/me', { authorization: `Bearer ${key}` });

  it('creates a key shown only in the result: bzs_-prefixed, with a notice to store it now', async () => {
    const { apiKey, notice } = await create(CAROL, 'laptop');
    expect(apiKey.id).to.match(/^key_[0-9A-Z]{26}$/);
    expect(apiKey.name).to.equal('laptop');
    expect(apiKey.key).to.match(/^bzs_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.prefix).to.equal(apiKey.key.slice(0, 12));
    expect(notice).to.match(/only time/);
  });

  it('stores the key only as a hash: no column of its row holds the key', async () => {
    const { apiKey } = await create(CAROL, 'desktop');
    const row = await keyRow(apiKey.id);
    expect(row).to.include({ userId: await world.userId(CAROL), tenantId: await world.tenantId('acme') });
    expect(row?.keyHash).to.equal(hashToken(apiKey.key));
    for (const [column, value] of Object.entries(row ?? {})) {
      expect(String(value), column).to.not.include(apiKey.key.slice(4));
    }
  });

  it('keeps the key out of the audit log', async () => {
    const { apiKey } = await create(CAROL, 'audited');
    await world.platform.audit.flush();
    const records = await world.database.db.select().from(auditLog).where(eq(auditLog.target, apiKey.id));
    expect(records).to.have.length(1);
    expect(records[0]).to.include({ tool: 'users_create_api_key', outcome: 'ok' });
    expect(JSON.stringify(records)).to.not.include(apiKey.key.slice(4));
  });

  it('lists keys, one’s own or a managed user’s, without ever showing a key', async () => {
    const { apiKey } = await create(NINA, 'listed');
    for (const [as, args] of [
      [NINA, {}],
      [ROOT, { user: NINA }],
      ['paula@brightpath.test', { user: NINA }],
    ] as const) {
      const result = (await call(as, 'users_list_api_keys', args)) as {
        user: { email: string };
        keys: KeyView[];
      };
      expect(result.user.email).to.equal(NINA);
      const listed = result.keys.find((k) => k.id === apiKey.id);
      expect(listed, as).to.deep.include({ name: 'listed', prefix: apiKey.prefix, revokedAt: null });
      expect(listed).to.have.all.keys('id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt');
      expect(JSON.stringify(result)).to.not.include(apiKey.key.slice(4));
    }
  });

  it('lets the key sign its owner in at /api/me and records when it was last used', async () => {
    const { apiKey } = await create(CAROL, 'script');
    const res = await me(apiKey.key);
    expect(res.status).to.equal(200);
    expect(res.json).to.deep.include({ via: 'api_key' });
    expect(res.json.user.email).to.equal(CAROL);
    expect((await keyRow(apiKey.id))?.lastUsedAt).to.be.instanceOf(Date);
  });

  it('revokes one’s own key, which then gets 401 on the very next request', async () => {
    const { apiKey } = await create(NINA, 'to revoke');
    expect((await me(apiKey.key)).status).to.equal(200);
    const revoked = (await call(NINA, 'users_revoke_api_key', { key: apiKey.id })) as unknown as Revoked;
    expect(revoked.alreadyRevoked).to.equal(false);
    expect(revoked.key.revokedAt).to.be.a('string');
    const after = await me(apiKey.key);
    expect(after.status).to.equal(401);
    expect(after.json.error.code).to.equal('unauthenticated');
  });

  it('treats revoking a revoked key again as done already, keeping the first revocation time', async () => {
    const { apiKey } = await create(NINA, 'twice');
    const first = (await call(NINA, 'users_revoke_api_key', { key: apiKey.id })) as unknown as Revoked;
    const second = (await call(NINA, 'users_revoke_api_key', { key: apiKey.id })) as unknown as Revoked;
    expect(second.alreadyRevoked).to.equal(true);
    expect(second.key.revokedAt).to.equal(first.key.revokedAt);
  });

  it('lets an admin revoke a client’s key, with the same immediate effect', async () => {
    const { apiKey } = await create(CAROL, 'lost phone');
    const revoked = (await call(OPS, 'users_revoke_api_key', { key: apiKey.id })) as unknown as Revoked;
    expect(revoked.user.email).to.equal(CAROL);
    expect((await keyRow(apiKey.id))?.revokedAt).to.be.instanceOf(Date);
    expect((await me(apiKey.key)).status).to.equal(401);
  });

  it('audits an admin’s revocation under the tenant of the key’s owner', async () => {
    const { apiKey } = await create(CAROL, 'stolen laptop');
    await call(OPS, 'users_revoke_api_key', { key: apiKey.id });
    const [record] = await world.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tool, 'users_revoke_api_key'), eq(auditLog.target, apiKey.id)));
    expect(record).to.include({ outcome: 'ok', userId: await world.userId(OPS) });
    // The audit log names the tenant an action touched, so the partner of acme can see it.
    expect(record?.tenantId).to.equal(await world.tenantId('acme'));
    const seen = (await call('paula@brightpath.test', 'audit_search', { query: apiKey.id })) as {
      total: number;
    };
    expect(seen.total).to.equal(2);
  });

  it('refuses a client revoking another user’s key, which keeps working', async () => {
    const bobs = await create(BOB, 'bob’s script');
    const carols = await create(CAROL, 'carol’s script');
    const sameTenant = await refusalOf(call(NINA, 'users_revoke_api_key', { key: bobs.apiKey.id }));
    const otherTenant = await refusalOf(call(NINA, 'users_revoke_api_key', { key: carols.apiKey.id }));
    expect(sameTenant.code).to.equal('forbidden');
    expect(otherTenant.code).to.equal('not_found');
    for (const { apiKey } of [bobs, carols]) {
      expect((await keyRow(apiKey.id))?.revokedAt).to.equal(null);
      expect((await me(apiKey.key)).status).to.equal(200);
    }
  });

  it('refuses a key id that names no key as not_found on key', async () => {
    const error = await refusalOf(call(ROOT, 'users_revoke_api_key', { key: `key_${'0'.repeat(26)}` }));
    expect(error.code).to.equal('not_found');
    expect(error.details).to.deep.equal({ field: 'key' });
  });

  it('refuses creating or revoking keys while a super admin views the platform as the owner', async () => {
    const { apiKey } = await create(CAROL, 'viewed');
    const viewingAs = await world.as(CAROL, {
      via: 'impersonation',
      impersonator: { id: await world.userId(ROOT), email: ROOT },
    });
    const gateway = world.platform.gateway;
    for (const [tool, args] of [
      ['users_create_api_key', { name: 'sneaky' }],
      ['users_revoke_api_key', { key: apiKey.id }],
    ] as const) {
      const error = await refusalOf(gateway.callTool(viewingAs, tool, args));
      expect(error.code, tool).to.equal('forbidden');
    }
    const listed = (await gateway.callTool(viewingAs, 'users_list_api_keys', {})) as { keys: KeyView[] };
    expect(listed.keys.map((k) => k.name)).to.not.include('sneaky');
    expect((await keyRow(apiKey.id))?.revokedAt).to.equal(null);
  });

  it('answers a bearer token that is not a key with 401', async () => {
    for (const token of ['bzs_not-a-real-key', 'some-other-token']) {
      expect((await me(token)).status, token).to.equal(401);
    }
  });
});
