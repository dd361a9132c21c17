import { expect } from 'chai';
import { and, count, desc, eq } from 'drizzle-orm';
import { auditLog } from '../../../core/audit/schema.ts';
import { AppError } from '../../../core/errors.ts';
import { apiKeys, invitations, users } from '../../../servers/users/schema.ts';
import { httpClient } from '../../support/http.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../../support/world.ts';

const NINA = 'nina@northwind.test';
const long = (n: number) => 'x'.repeat(n);

type Case = [what: string, tool: string, args: Record<string, unknown>, field: string];

// Each case is refused as bad_request naming `field`; a valid value is given for every other field.
const CASES: Case[] = [
  ['a page given as text', 'users_list', { page: 'two' }, 'page'],
  ['pageSize 0', 'users_list', { pageSize: 0 }, 'pageSize'],
  ['pageSize 1000', 'users_list', { pageSize: 1000 }, 'pageSize'],
  ['a fractional pageSize', 'users_list', { pageSize: 2.5 }, 'pageSize'],
  ['a 5,000-character query', 'users_list', { query: long(5000) }, 'query'],
  ['an unknown sort field', 'users_list', { sort: 'password' }, 'sort'],
  ['an unknown sort order', 'users_list', { order: 'up' }, 'order'],
  ['an unknown status', 'users_list', { status: 'gone' }, 'status'],
  ['an unknown role filter', 'users_list', { role: 'god' }, 'role'],
  ['a 65-character tenant', 'users_list', { tenant: long(65) }, 'tenant'],
  ['an unknown field', 'users_list', { rows: 5 }, 'rows'],
  ['a user given as a number', 'users_get', { user: 42 }, 'user'],
  ['a missing user', 'users_get', {}, 'user'],
  ['an empty user', 'users_get', { user: '' }, 'user'],
  ['a user that is neither an id nor an email', 'users_get', { user: 'bob' }, 'user'],
  ['an unknown field next to a valid one', 'users_get', { user: NINA, include: 'password' }, 'include'],
  ['an invalid email', 'users_invite', { email: 'not-an-email', name: 'Ann Example' }, 'email'],
  ['a 10,000-character name', 'users_invite', { email: 'ann@zen.test', name: long(10_000) }, 'name'],
  ['a name of only spaces', 'users_invite', { email: 'ann@zen.test', name: '   ' }, 'name'],
  [
    'an invalid phone',
    'users_invite',
    { email: 'ann@zen.test', name: 'Ann Example', phone: 'call me maybe' },
    'phone',
  ],
  ['an unknown role', 'users_invite', { email: 'ann@zen.test', name: 'Ann Example', role: 'owner' }, 'role'],
  [
    'a tenant given as a number',
    'users_invite',
    { email: 'ann@zen.test', name: 'Ann Example', tenant: 7 },
    'tenant',
  ],
  ['a 10,000-character name', 'users_update_profile', { user: NINA, name: long(10_000) }, 'name'],
  ['an invalid phone', 'users_update_profile', { user: NINA, phone: 'abc' }, 'phone'],
  ['a 121-character job title', 'users_update_profile', { user: NINA, jobTitle: long(121) }, 'jobTitle'],
  ['an unknown role', 'users_set_role', { user: NINA, role: 'god' }, 'role'],
  [
    'scopes.tenants given as a string',
    'users_set_role',
    { user: NINA, role: 'sub_admin', scopes: { tenants: 'acme' } },
    'scopes.tenants',
  ],
  [
    'an unknown scope kind',
    'users_set_role',
    { user: NINA, role: 'sub_admin', scopes: { regions: ['eu'] } },
    'scopes.regions',
  ],
  ['an empty features object', 'users_set_features', { user: NINA, features: {} }, 'features'],
  ['a feature set to text', 'users_set_features', { user: NINA, features: { ai: 'yes' } }, 'features.ai'],
  [
    'an unknown feature',
    'users_set_features',
    { user: NINA, features: { teleport: true } },
    'features.teleport',
  ],
  ['an empty key name', 'users_create_api_key', { name: '' }, 'name'],
  ['an 81-character key name', 'users_create_api_key', { name: long(81) }, 'name'],
  ['a key that is not a key id', 'users_revoke_api_key', { key: 'abc' }, 'key'],
];

/** The fields a bad_request names: zod's list, or the one field a server named. */
function fieldsOf(error: AppError): string[] {
  const details = error.details ?? {};
  if (Array.isArray(details.fields)) return (details.fields as { field: string }[]).map((f) => f.field);
  return typeof details.field === 'string' ? [details.field] : [];
}

describe('users tools: bad input', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  /** Rows that a call that got through would have added or changed. */
  const counts = async () => {
    const db = world.database.db;
    const [u] = await db.select({ n: count() }).from(users);
    const [i] = await db.select({ n: count() }).from(invitations);
    const [k] = await db.select({ n: count() }).from(apiKeys);
    const [a] = await db.select({ n: count() }).from(auditLog).where(eq(auditLog.outcome, 'ok'));
    return { users: u?.n, invitations: i?.n, apiKeys: k?.n, auditOk: a?.n };
  };
  const snapshotUsers = () => world.database.db.select().from(users).orderBy(users.id);

  /** Calls as root, expects bad_request, and checks nothing was written. */
  async function badRequest(tool: string, args: unknown): Promise<AppError> {
    const root = await world.as('root@bizosaas.test');
    await world.platform.audit.flush();
    const before = await counts();
    const usersBefore = await snapshotUsers();
    let refused: unknown;
    try {
      await world.platform.gateway.callTool(root, tool, args as Record<string, unknown>);
    } catch (error) {
      refused = error;
    }
    expect(refused, 'the call was refused with an AppError').to.be.instanceOf(AppError);
    const error = refused as AppError;
    expect(error.code, error.message).to.equal('bad_request');
    await world.platform.audit.flush();
    expect(await counts(), 'nothing written').to.deep.equal(before);
    expect(await snapshotUsers(), 'no user changed').to.deep.equal(usersBefore);
    return error;
  }

  for (const [what, tool, args, field] of CASES) {
    it(`refuses ${what} in ${tool} as bad_request naming ${field}`, async () => {
      const error = await badRequest(tool, args);
      expect(fieldsOf(error)).to.include(field);
      expect(error.message).to.include(field.split('.').pop());
    });
  }

  it('lists the allowed fields when it refuses an unknown one', async () => {
    const error = await badRequest('users_get', { user: NINA, admin: true });
    expect(error.details?.fields).to.deep.equal([
      { field: 'admin', message: 'unknown field; allowed fields: user' },
    ]);
  });

  it('names every bad field of a call at once', async () => {
    const error = await badRequest('users_list', { page: 0, pageSize: 1000, sort: 'secret' });
    expect(fieldsOf(error)).to.have.members(['page', 'pageSize', 'sort']);
  });

  it('refuses a profile update that changes nothing, naming the fields it needs', async () => {
    const error = await badRequest('users_update_profile', { user: NINA });
    expect(error.message).to.include('give at least one of name, phone, jobTitle');
  });

  for (const [what, args] of [
    ['null', null],
    ['an array', [{ user: NINA }]],
    ['a string', 'nina@northwind.test'],
    ['a number', 42],
  ] as const) {
    it(`refuses arguments that are ${what} rather than an object`, async () => {
      const error = await badRequest('users_get', args);
      expect(error.message).to.equal('Arguments for users_get must be a JSON object.');
    });
  }

  it('audits a bad request with the oversized argument cut short', async () => {
    await badRequest('users_update_profile', { user: NINA, name: long(10_000) });
    const [record] = await world.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tool, 'users_update_profile'), eq(auditLog.outcome, 'bad_request')))
      .orderBy(desc(auditLog.seq))
      .limit(1);
    expect(record?.target).to.equal(NINA);
    expect(record?.args.name).to.equal(`${long(500)}…`);
  });

  it('answers a bad body over HTTP with 400 and the same named fields', async () => {
    const http = httpClient(world.url);
    await http.login('ops@bizosaas.test', DEMO_PASSWORD);
    const bad = await http.post('/api/tools/users_invite', { email: 'nope', name: 'Ann Example' });
    expect(bad.status).to.equal(400);
    expect(bad.json.error.code).to.equal('bad_request');
    expect(bad.json.error.details.fields.map((f: { field: string }) => f.field)).to.deep.equal(['email']);
    const array = await http.post('/api/tools/users_list', [1, 2]);
    expect(array.status).to.equal(400);
    expect(array.json.error.message).to.match(/JSON object/);
  });
});
