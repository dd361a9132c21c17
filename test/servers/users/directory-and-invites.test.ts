import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'chai';
import { and, count, desc, eq } from 'drizzle-orm';
import { auditLog } from '../../../core/audit/schema.ts';
import { hashToken } from '../../../core/tokens.ts';
import { refusal } from '../../../gateway/policy.ts';
import { invitations, users } from '../../../servers/users/schema.ts';
import { httpClient } from '../../support/http.ts';
import { refusalOf } from '../../support/refusal.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../../support/world.ts';

const ROOT = 'root@bizosaas.test';
const OPS = 'ops@bizosaas.test';
const PAULA = 'paula@brightpath.test';
const NINA = 'nina@northwind.test';
const BOB = 'bob@northwind.test';
const CAROL = 'carol@acme.test';

interface UserItem {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  tenant: { id: string; slug: string; name: string } | null;
  phone: string | null;
  jobTitle: string | null;
  features: Record<string, boolean>;
  scopes?: unknown;
  createdAt: string;
}
interface Page {
  items: UserItem[];
  page: number;
  pageSize: number;
  total: number;
}

describe('the users directory (users_list, users_get)', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  const list = async (args: Record<string, unknown>, as = ROOT) =>
    (await world.platform.gateway.callTool(await world.as(as), 'users_list', args)) as unknown as Page;
  const emails = (page: Page) => page.items.map((u) => u.email);

  it('finds users by text in their name, email or job title, ignoring case', async () => {
    // "Nina Baker" by name, Bob Smith by his job title (Baker).
    expect(emails(await list({ query: 'baker' }))).to.deep.equal([BOB, NINA]);
    expect(emails(await list({ query: 'ACME.test' }))).to.deep.equal([CAROL, 'dave@acme.test']);
    expect(emails(await list({ query: 'founder' }))).to.deep.equal([ROOT]);
  });

  it('treats % and _ in the query as the characters themselves, not wildcards', async () => {
    for (const query of ['%', '_', 'n%a']) expect((await list({ query })).total, query).to.equal(0);
  });

  it('filters by role', async () => {
    expect(emails(await list({ role: 'client' }))).to.have.members([
      NINA,
      BOB,
      CAROL,
      'dave@acme.test',
      'yuki@zen.test',
    ]);
    expect(emails(await list({ role: 'super_admin' }))).to.have.members(['admin@bizosaas.local', ROOT]);
    expect((await list({ role: 'partner' })).total).to.equal(1);
  });

  it('filters by tenant, named by slug (any case) or by id', async () => {
    const acme = await world.tenantId('acme');
    const bySlug = await list({ tenant: 'acme' });
    expect(emails(bySlug)).to.deep.equal([CAROL, 'dave@acme.test']);
    expect(emails(await list({ tenant: acme }))).to.deep.equal(emails(bySlug));
    expect(emails(await list({ tenant: 'ACME' }))).to.deep.equal(emails(bySlug));
    expect(bySlug.items.every((u) => u.tenant?.id === acme)).to.equal(true);
  });

  it('refuses a tenant filter outside the caller’s scope as not_found', async () => {
    expect((await refusalOf(list({ tenant: 'acme' }, NINA))).code).to.equal('not_found');
    expect((await refusalOf(list({ tenant: 'zen' }, PAULA))).code).to.equal('not_found');
    expect((await refusalOf(list({ tenant: 'nowhere' }))).code).to.equal('not_found');
  });

  it('filters by status', async () => {
    expect((await list({ status: 'active' })).total).to.equal(10);
    expect((await list({ status: 'invited' })).total).to.equal(0);
    expect((await list({ status: 'disabled' })).total).to.equal(0);
  });

  it('combines filters', async () => {
    const page = await list({ role: 'client', tenant: 'northwind', query: 'smith', status: 'active' });
    expect(emails(page)).to.deep.equal([BOB]);
    expect(page.total).to.equal(1);
  });

  it('sorts by name, email, role and creation time, either way', async () => {
    expect((await list({ sort: 'name' })).items.map((u) => u.name)).to.deep.equal([
      'Ada Root',
      'Bob Smith',
      'Carol Diaz',
      'Dave Kim',
      'Nina Baker',
      'Olivia Ops',
      'Paula Partner',
      'Platform Admin',
      'Sam Support',
      'Yuki Tanaka',
    ]);
    expect(emails(await list({ sort: 'email', order: 'desc' }))).to.deep.equal([
      'yuki@zen.test',
      'support@bizosaas.test',
      ROOT,
      PAULA,
      OPS,
      NINA,
      'dave@acme.test',
      CAROL,
      BOB,
      'admin@bizosaas.local',
    ]);
    expect((await list({ sort: 'role' })).items.map((u) => u.role)).to.deep.equal([
      'admin',
      'client',
      'client',
      'client',
      'client',
      'client',
      'partner',
      'sub_admin',
      'super_admin',
      'super_admin',
    ]);
    // The first super admin is created on first start, before the demo data.
    expect(emails(await list({ sort: 'createdAt' }))[0]).to.equal('admin@bizosaas.local');
    const newestFirst = (await list({ sort: 'createdAt', order: 'desc' })).items.map((u) => u.createdAt);
    expect(newestFirst).to.deep.equal([...newestFirst].sort().reverse());
    expect(newestFirst.at(-1)).to.equal((await list({ sort: 'createdAt' })).items[0]?.createdAt);
  });

  it('pages through the results with the same total on every page', async () => {
    const all = emails(await list({ sort: 'email', pageSize: 100 }));
    const pages = [];
    for (let page = 1; page <= 5; page++) pages.push(await list({ sort: 'email', pageSize: 3, page }));
    expect(pages.map((p) => p.total)).to.deep.equal([10, 10, 10, 10, 10]);
    expect(pages.map((p) => p.items.length)).to.deep.equal([3, 3, 3, 1, 0]);
    expect(pages[1]).to.include({ page: 2, pageSize: 3 });
    expect(pages.flatMap(emails)).to.deep.equal(all);
  });

  it('pages with a default of 25 per page', async () => {
    expect(await list({})).to.include({ page: 1, pageSize: 25, total: 10 });
  });

  it('gets one user by id or by email (any case), without credentials', async () => {
    const carolId = await world.userId(CAROL);
    const root = await world.as(ROOT);
    const byId = (await world.platform.gateway.callTool(root, 'users_get', { user: carolId })) as {
      user: UserItem;
    };
    const byEmail = await world.platform.gateway.callTool(root, 'users_get', { user: 'Carol@ACME.test' });
    expect(byEmail).to.deep.equal(byId);
    expect(byId.user).to.include({
      id: carolId,
      email: CAROL,
      name: 'Carol Diaz',
      role: 'client',
      status: 'active',
    });
    expect(byId.user.tenant).to.include({ slug: 'acme', name: 'Acme Plumbing' });
    expect(byId.user.features).to.deep.equal({
      ai: true,
      crm: true,
      reviews: true,
      analytics: true,
      billing: true,
    });
    expect(byId.user).to.not.have.any.keys('passwordHash', 'password', 'scopes');
  });

  it('shows a sub-admin’s scopes as tenant ids', async () => {
    const { user } = (await world.platform.gateway.callTool(await world.as(ROOT), 'users_get', {
      user: 'support@bizosaas.test',
    })) as { user: UserItem };
    expect(user.scopes).to.deep.equal({
      tenants: [await world.tenantId('northwind'), await world.tenantId('acme')],
      categories: ['CRM', 'Email Marketing'],
    });
  });

  it('answers a user who does not exist and one out of scope alike: not_found on user', async () => {
    const nina = await world.as(NINA);
    const missing = await refusalOf(
      world.platform.gateway.callTool(nina, 'users_get', { user: 'ghost@acme.test' }),
    );
    const hidden = await refusalOf(world.platform.gateway.callTool(nina, 'users_get', { user: CAROL }));
    expect([missing.code, hidden.code]).to.deep.equal(['not_found', 'not_found']);
    expect(missing.details).to.deep.equal(hidden.details);
  });
});

describe('invitations, profiles and feature toggles', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  const call = async (as: string, tool: string, args: Record<string, unknown>) =>
    world.platform.gateway.callTool(await world.as(as), tool, args);
  const userRow = async (email: string) =>
    (await world.database.db.select().from(users).where(eq(users.email, email)))[0];
  const userCount = async () => (await world.database.db.select({ n: count() }).from(users))[0]?.n;
  const invite = async (as: string, args: Record<string, unknown>) =>
    (await call(as, 'users_invite', args)) as {
      user: UserItem;
      invitation: { url: string; expiresAt: string };
    };
  const tokenOf = (url: string) => url.split('/').pop() as string;

  describe('users_invite', () => {
    it('creates an invited user and a one-time invitation URL, storing only the token’s hash', async () => {
      const started = Date.now();
      const result = await invite(ROOT, {
        email: 'eve@zen.test',
        name: '  Eve Green ',
        tenant: 'zen',
        jobTitle: 'Teacher',
        phone: '+81 3 1234 5678',
      });
      expect(result.user).to.include({
        email: 'eve@zen.test',
        name: 'Eve Green',
        role: 'client',
        status: 'invited',
        jobTitle: 'Teacher',
        phone: '+81 3 1234 5678',
      });
      expect(result.user.tenant?.slug).to.equal('zen');
      expect(result.invitation.url.startsWith(`${world.platform.config.publicUrl}/invite/`)).to.equal(true);
      const token = tokenOf(result.invitation.url);
      expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
      const expiresIn = Date.parse(result.invitation.expiresAt) - started;
      expect(expiresIn).to.be.within(7 * 86_400_000 - 60_000, 7 * 86_400_000 + 60_000);

      const [stored] = await world.database.db
        .select()
        .from(invitations)
        .where(eq(invitations.userId, result.user.id));
      expect(stored).to.include({
        tokenHash: hashToken(token),
        invitedBy: await world.userId(ROOT),
        tenantId: await world.tenantId('zen'),
        acceptedAt: null,
      });
      expect(Object.values(stored ?? {})).to.not.include(token);
      expect((await userRow('eve@zen.test'))?.status).to.equal('invited');
    });

    it('audits the invitation with the new user as target and the tenant it went to', async () => {
      const { user } = await invite(OPS, { email: 'hal@zen.test', name: 'Hal Ray', tenant: 'zen' });
      const [record] = await world.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tool, 'users_invite'), eq(auditLog.target, user.id)));
      expect(record).to.include({
        outcome: 'ok',
        userId: await world.userId(OPS),
        tenantId: user.tenant?.id,
      });
    });

    it('invites as a client into the inviter’s own tenant by default, with the email in lower case', async () => {
      const { user } = await invite(PAULA, { email: 'Gina@Acme.TEST', name: 'Gina Low', tenant: 'acme' });
      expect(user).to.include({ email: 'gina@acme.test', role: 'client' });
      const own = await invite(OPS, { email: 'fred@bizosaas.test', name: 'Fred Default' });
      expect(own.user).to.include({ role: 'client' });
      expect(own.user.tenant?.slug).to.equal('hq');
    });

    it('refuses an email already in use as conflict, whatever its case', async () => {
      const before = await userCount();
      for (const email of [CAROL, 'CAROL@ACME.TEST']) {
        const error = await refusalOf(invite(ROOT, { email, name: 'Carol Again', tenant: 'acme' }));
        expect(error.code, email).to.equal('conflict');
        expect(error.details).to.deep.equal({ field: 'email' });
      }
      expect(await userCount()).to.equal(before);
    });

    it('refuses an email in use in a tenant the inviter cannot see as conflict too', async () => {
      const before = await userRow('yuki@zen.test');
      const error = await refusalOf(
        invite(PAULA, { email: 'yuki@zen.test', name: 'Yuki Two', tenant: 'acme' }),
      );
      expect(error.code).to.equal('conflict');
      expect(await userRow('yuki@zen.test')).to.deep.equal(before);
    });

    it('keeps an invited user from signing in before accepting', async () => {
      await invite(ROOT, { email: 'ian@zen.test', name: 'Ian Wait', tenant: 'zen' });
      const login = await httpClient(world.url).login('ian@zen.test', DEMO_PASSWORD);
      expect(login.status).to.equal(401);
    });
  });

  describe('accepting an invitation over HTTP', () => {
    const PASSWORD = 'a long enough password';

    it('activates the user, sets the password and signs them in', async () => {
      const { user, invitation } = await invite(ROOT, {
        email: 'kai@zen.test',
        name: 'Kai Joins',
        tenant: 'zen',
      });
      const http = httpClient(world.url);
      const accepted = await http.post('/api/auth/invitations/accept', {
        token: tokenOf(invitation.url),
        password: PASSWORD,
      });
      expect(accepted.status).to.equal(200);
      expect(accepted.json.user).to.include({ id: user.id, email: 'kai@zen.test', role: 'client' });
      expect(accepted.headers.get('set-cookie')).to.match(/bizosaas_session=[^;]+/);
      const me = await http.get('/api/me');
      expect(me.status).to.equal(200);
      expect(me.json.user.email).to.equal('kai@zen.test');

      expect((await userRow('kai@zen.test'))?.status).to.equal('active');
      const [stored] = await world.database.db
        .select()
        .from(invitations)
        .where(eq(invitations.userId, user.id));
      expect(stored?.acceptedAt).to.be.instanceOf(Date);
      expect((await httpClient(world.url).login('kai@zen.test', PASSWORD)).status).to.equal(200);
    });

    it('refuses the same token a second time, leaving the password as first set', async () => {
      const { invitation } = await invite(ROOT, { email: 'lou@zen.test', name: 'Lou Once', tenant: 'zen' });
      const token = tokenOf(invitation.url);
      const first = await httpClient(world.url).post('/api/auth/invitations/accept', {
        token,
        password: PASSWORD,
      });
      expect(first.status).to.equal(200);
      const second = await httpClient(world.url).post('/api/auth/invitations/accept', {
        token,
        password: 'another long password',
      });
      expect(second.status).to.equal(404);
      expect(second.json.error.code).to.equal('not_found');
      expect(second.headers.get('set-cookie')).to.equal(null);
      expect((await httpClient(world.url).login('lou@zen.test', PASSWORD)).status).to.equal(200);
      expect((await httpClient(world.url).login('lou@zen.test', 'another long password')).status).to.equal(
        401,
      );
    });

    it('refuses a short password without using up the invitation', async () => {
      const { invitation } = await invite(ROOT, { email: 'max@zen.test', name: 'Max Short', tenant: 'zen' });
      const token = tokenOf(invitation.url);
      const http = httpClient(world.url);
      const short = await http.post('/api/auth/invitations/accept', { token, password: 'short' });
      expect(short.status).to.equal(400);
      expect(short.json.error.details).to.deep.equal({ field: 'password' });
      expect((await userRow('max@zen.test'))?.status).to.equal('invited');
      expect(
        (await http.post('/api/auth/invitations/accept', { token, password: PASSWORD })).status,
      ).to.equal(200);
    });

    it('refuses a token that was never issued', async () => {
      const res = await httpClient(world.url).post('/api/auth/invitations/accept', {
        token: 'x'.repeat(43),
        password: PASSWORD,
      });
      expect(res.status).to.equal(404);
    });
  });

  describe('users_update_profile', () => {
    it('changes one’s own profile when no user is named, and clears fields given empty', async () => {
      const result = (await call(NINA, 'users_update_profile', {
        name: ' Nina B. Baker ',
        phone: '+1 555 0100',
        jobTitle: '',
      })) as { user: UserItem };
      expect(result.user).to.include({
        email: NINA,
        name: 'Nina B. Baker',
        phone: '+1 555 0100',
        jobTitle: null,
      });
      const stored = await userRow(NINA);
      expect(stored).to.include({ name: 'Nina B. Baker', phone: '+1 555 0100', jobTitle: null });
      await call(NINA, 'users_update_profile', { phone: '' });
      expect((await userRow(NINA))?.phone).to.equal(null);
    });

    it('changes another user’s profile for someone who manages them, leaving other fields alone', async () => {
      const before = await userRow(CAROL);
      await call(PAULA, 'users_update_profile', { user: CAROL, jobTitle: 'Office Lead' });
      const after = await userRow(CAROL);
      expect(after).to.include({ jobTitle: 'Office Lead', name: before?.name, phone: before?.phone });
      expect(after?.updatedAt.getTime()).to.be.greaterThan(before?.updatedAt.getTime() ?? 0);
    });

    it('refuses a client changing another user’s profile', async () => {
      const before = await userRow(BOB);
      const error = await refusalOf(call(NINA, 'users_update_profile', { user: BOB, name: 'Robert' }));
      expect(error.code).to.equal('forbidden');
      expect(await userRow(BOB)).to.deep.equal(before);
    });
  });

  describe('users_set_features', () => {
    const PROBE_ACCESS = { permission: 'profile.self', feature: 'ai', scope: 'self' } as const;

    it('changes only the features named and the stored toggles become the principal’s', async () => {
      const toolsBefore = world.platform.gateway.listTools(await world.as(BOB)).map((t) => t.name);
      const result = (await call(ROOT, 'users_set_features', {
        user: BOB,
        features: { reviews: true, ai: false },
      })) as { user: UserItem };
      const expected = { ai: false, crm: true, reviews: true, analytics: false, billing: false };
      expect(result.user.features).to.deep.equal(expected);
      expect((await userRow(BOB))?.features).to.deep.equal(expected);
      const bob = await world.as(BOB);
      expect(bob.features).to.deep.equal(expected);
      // Turning ai off hides the ai-gated tools (agents, memory); turning reviews on shows the reviews ones.
      const after = world.platform.gateway.listTools(bob).map((t) => t.name);
      const gated = (names: string[], prefix: string) => names.filter((n) => n.startsWith(prefix));
      expect(gated(after, 'memory_')).to.deep.equal([]);
      expect(gated(toolsBefore, 'memory_').length).to.be.greaterThan(0);
      expect(gated(after, 'users_')).to.deep.equal(gated(toolsBefore, 'users_'));
    });

    it('has the policy refuse a tool whose feature the caller has turned off', async () => {
      const refused = refusal(await world.as(BOB), 'probe_ping', PROBE_ACCESS);
      expect(refused?.code).to.equal('forbidden');
      expect(refused?.details).to.deep.equal({ tool: 'probe_ping', feature: 'ai' });
      expect(refusal(await world.as(NINA), 'probe_ping', PROBE_ACCESS)).to.equal(undefined);
    });

    it('hides and refuses a mounted tool gated on a turned-off feature, and restores it when turned on', async () => {
      const server = new Server({ name: 'probe', version: '0.0.0' }, { capabilities: { tools: {} } });
      server.setRequestHandler(ListToolsRequestSchema, async () => ({
        tools: [{ name: 'ping', description: 'Answers pong.', inputSchema: { type: 'object' } }],
      }));
      server.setRequestHandler(CallToolRequestSchema, async () => ({
        content: [{ type: 'text', text: 'pong' }],
        structuredContent: { answer: 'pong' },
      }));
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      const gateway = world.platform.gateway;
      await gateway.host.mount('probe', clientSide, { access: PROBE_ACCESS });
      try {
        const names = async (email: string) => gateway.listTools(await world.as(email)).map((t) => t.name);
        expect(await names(NINA)).to.include('probe_ping');
        expect(await names(BOB)).to.not.include('probe_ping');
        expect(await gateway.callTool(await world.as(NINA), 'probe_ping', {})).to.deep.equal({
          answer: 'pong',
        });
        const error = await refusalOf(gateway.callTool(await world.as(BOB), 'probe_ping', {}));
        expect(error.code).to.equal('forbidden');
        expect(error.details).to.include({ feature: 'ai' });

        await call(ROOT, 'users_set_features', { user: BOB, features: { ai: true } });
        expect(await names(BOB)).to.include('probe_ping');
        expect(await gateway.callTool(await world.as(BOB), 'probe_ping', {})).to.deep.equal({
          answer: 'pong',
        });
      } finally {
        await gateway.host.unmount('probe');
      }
      await world.platform.audit.flush();
      const refusals = await world.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tool, 'probe_ping'), eq(auditLog.outcome, 'forbidden')))
        .orderBy(desc(auditLog.seq));
      expect(refusals).to.have.length(1);
      expect(refusals[0]?.userId).to.equal(await world.userId(BOB));
    });
  });
});
