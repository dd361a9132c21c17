import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import type { AppError } from '../../../core/errors.ts';
import type { Principal } from '../../../gateway/principal.ts';
import { users } from '../../../servers/users/schema.ts';
import { httpClient } from '../../support/http.ts';
import { refusalOf } from '../../support/refusal.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../../support/world.ts';

const ROOT = 'root@bizosaas.test';
const OPS = 'ops@bizosaas.test';
const SUPPORT = 'support@bizosaas.test';
const PAULA = 'paula@brightpath.test';
const CAROL = 'carol@acme.test';
const YUKI = 'yuki@zen.test';

// Invited by root before the rules run: someone in the partner's own tenant, a second admin,
// a partner inside a child tenant, and spare clients whose roles the tests change.
const EXTRA_USERS = [
  { email: 'pete@brightpath.test', name: 'Pete Agency', tenant: 'brightpath' },
  { email: 'ops2@bizosaas.test', name: 'Otto Ops', tenant: 'hq', role: 'admin' },
  { email: 'percy@acme.test', name: 'Percy Partner', tenant: 'acme', role: 'partner' },
  { email: 'eli@acme.test', name: 'Eli Spare', tenant: 'acme' },
  { email: 'fay@zen.test', name: 'Fay Spare', tenant: 'zen' },
  { email: 'gil@zen.test', name: 'Gil Spare', tenant: 'zen' },
];

/** Runs calls one after another and returns what each was refused with. */
async function refusalsOf(calls: (() => Promise<unknown>)[]): Promise<AppError[]> {
  const errors: AppError[] = [];
  for (const next of calls) errors.push(await refusalOf(next()));
  return errors;
}

describe('users role rules (the second wall)', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
    const root = await world.as(ROOT);
    for (const u of EXTRA_USERS) await world.platform.gateway.callTool(root, 'users_invite', u);
  });
  after(() => world.close());

  const call = async (actor: string | Principal, tool: string, args: Record<string, unknown>) =>
    world.platform.gateway.callTool(typeof actor === 'string' ? await world.as(actor) : actor, tool, args);
  const row = async (email: string) => {
    const [found] = await world.database.db.select().from(users).where(eq(users.email, email));
    if (!found) throw new Error(`no user ${email}`);
    return found;
  };

  describe('own role', () => {
    for (const [actor, role] of [
      [ROOT, 'admin'],
      [OPS, 'client'],
      [PAULA, 'client'],
    ] as const) {
      it(`refuses ${actor} changing their own role, whatever the new role`, async () => {
        const before = await row(actor);
        const error = await refusalOf(call(actor, 'users_set_role', { user: actor, role }));
        expect(error.code).to.equal('forbidden');
        expect(error.message).to.match(/own role/);
        expect(await row(actor)).to.deep.equal(before);
      });
    }

    it('refuses a change of one’s own role even when named by id rather than email', async () => {
      const error = await refusalOf(
        call(OPS, 'users_set_role', { user: await world.userId(OPS), role: 'admin' }),
      );
      expect(error.code).to.equal('forbidden');
    });
  });

  describe('elevated roles', () => {
    it('lets a super admin grant and then remove the admin role', async () => {
      const granted = (await call(ROOT, 'users_set_role', { user: 'eli@acme.test', role: 'admin' })) as {
        user: { role: string };
      };
      expect(granted.user.role).to.equal('admin');
      await call(ROOT, 'users_set_role', { user: 'eli@acme.test', role: 'client' });
      expect((await row('eli@acme.test')).role).to.equal('client');
    });

    for (const [user, role, what] of [
      ['bob@northwind.test', 'admin', 'grant admin'],
      ['bob@northwind.test', 'super_admin', 'grant super_admin'],
      ['ops2@bizosaas.test', 'client', 'take admin away from another admin'],
      [ROOT, 'admin', 'demote a super admin'],
    ] as const) {
      it(`refuses an admin who tries to ${what}`, async () => {
        const before = await row(user);
        const error = await refusalOf(call(OPS, 'users_set_role', { user, role }));
        expect(error.code).to.equal('forbidden');
        expect(error.message).to.match(/super admin/);
        expect(await row(user)).to.deep.equal(before);
      });
    }

    it('refuses an admin inviting someone as admin or super admin', async () => {
      for (const role of ['admin', 'super_admin']) {
        const email = `would-be-${role}@bizosaas.test`;
        const error = await refusalOf(call(OPS, 'users_invite', { email, name: 'Would Be', role }));
        expect(error.code, role).to.equal('forbidden');
        expect(await world.database.db.select().from(users).where(eq(users.email, email))).to.deep.equal([]);
      }
    });

    it('lets an admin hand out the sub_admin, partner and client roles', async () => {
      for (const role of ['sub_admin', 'partner', 'client']) {
        await call(OPS, 'users_set_role', { user: 'fay@zen.test', role });
        expect((await row('fay@zen.test')).role).to.equal(role);
      }
    });
  });

  describe('admins and super admins', () => {
    it('refuses an admin changing a super admin’s profile or features', async () => {
      const before = await row(ROOT);
      const profile = await refusalOf(call(OPS, 'users_update_profile', { user: ROOT, jobTitle: 'Intern' }));
      const features = await refusalOf(
        call(OPS, 'users_set_features', { user: ROOT, features: { ai: false } }),
      );
      expect([profile.code, features.code]).to.deep.equal(['forbidden', 'forbidden']);
      expect(await row(ROOT)).to.deep.equal(before);
    });

    it('refuses an admin changing another admin’s profile or features', async () => {
      const before = await row('ops2@bizosaas.test');
      const profile = await refusalOf(
        call(OPS, 'users_update_profile', { user: 'ops2@bizosaas.test', name: 'Renamed' }),
      );
      const features = await refusalOf(
        call(OPS, 'users_set_features', { user: 'ops2@bizosaas.test', features: { crm: false } }),
      );
      expect([profile.code, features.code]).to.deep.equal(['forbidden', 'forbidden']);
      expect(await row('ops2@bizosaas.test')).to.deep.equal(before);
    });

    it('lets an admin change a sub-admin’s profile', async () => {
      await call(OPS, 'users_update_profile', { user: SUPPORT, phone: '+1 555 0199' });
      expect((await row(SUPPORT)).phone).to.equal('+1 555 0199');
    });
  });

  describe('partners', () => {
    it('lets a partner manage a client of a child tenant', async () => {
      await call(PAULA, 'users_update_profile', { user: CAROL, jobTitle: 'Office Lead' });
      await call(PAULA, 'users_set_features', { user: CAROL, features: { billing: false } });
      await call(PAULA, 'users_set_role', { user: CAROL, role: 'client' });
      const carol = await row(CAROL);
      expect(carol).to.include({ jobTitle: 'Office Lead', role: 'client' });
      expect(carol.features.billing).to.equal(false);
    });

    it('lets a partner invite clients into a child tenant, and only clients', async () => {
      await call(PAULA, 'users_invite', {
        email: 'ivy@northwind.test',
        name: 'Ivy New',
        tenant: 'northwind',
      });
      expect((await row('ivy@northwind.test')).status).to.equal('invited');
      for (const role of ['partner', 'sub_admin', 'admin']) {
        const error = await refusalOf(
          call(PAULA, 'users_invite', { email: `ivy.${role}@acme.test`, name: 'Ivy', tenant: 'acme', role }),
        );
        expect(error.code, role).to.equal('forbidden');
      }
    });

    it('refuses a partner giving a child-tenant client any role but client', async () => {
      const before = await row(CAROL);
      for (const role of ['partner', 'sub_admin', 'admin', 'super_admin']) {
        const error = await refusalOf(call(PAULA, 'users_set_role', { user: CAROL, role }));
        expect(error.code, role).to.equal('forbidden');
      }
      expect(await row(CAROL)).to.deep.equal(before);
    });

    it('refuses a partner managing a non-client user, even inside a child tenant', async () => {
      const before = await row('percy@acme.test');
      const refusals = await refusalsOf([
        () => call(PAULA, 'users_update_profile', { user: 'percy@acme.test', name: 'Renamed' }),
        () => call(PAULA, 'users_set_features', { user: 'percy@acme.test', features: { ai: false } }),
        () => call(PAULA, 'users_set_role', { user: 'percy@acme.test', role: 'client' }),
      ]);
      expect(refusals.map((e) => e.code)).to.deep.equal(['forbidden', 'forbidden', 'forbidden']);
      expect(refusals[0]?.message).to.match(/only manage client users/);
      expect(await row('percy@acme.test')).to.deep.equal(before);
    });

    it('refuses a partner managing users of its own (brightpath) tenant, though it can read them', async () => {
      const pete = 'pete@brightpath.test';
      const before = await row(pete);
      const read = (await call(PAULA, 'users_get', { user: pete })) as { user: { email: string } };
      expect(read.user.email).to.equal(pete);
      const refusals = await refusalsOf([
        () => call(PAULA, 'users_update_profile', { user: pete, name: 'Renamed' }),
        () => call(PAULA, 'users_set_features', { user: pete, features: { ai: false } }),
        () => call(PAULA, 'users_set_role', { user: pete, role: 'client' }),
        () => call(PAULA, 'users_list_api_keys', { user: pete }),
        () =>
          call(PAULA, 'users_invite', { email: 'ann@brightpath.test', name: 'Ann', tenant: 'brightpath' }),
      ]);
      expect(refusals.map((e) => e.code)).to.deep.equal(Array(5).fill('forbidden'));
      expect(refusals[0]?.message).to.match(/child tenants/);
      expect(await row(pete)).to.deep.equal(before);
    });

    it('hides users of tenants that are not its children from a partner (not_found)', async () => {
      for (const user of [YUKI, OPS]) {
        const error = await refusalOf(call(PAULA, 'users_update_profile', { user, name: 'Renamed' }));
        expect(error.code, user).to.equal('not_found');
      }
    });
  });

  describe('sub-admins', () => {
    it('lets a sub-admin manage client users of the tenants in its scope', async () => {
      await call(SUPPORT, 'users_update_profile', { user: 'dave@acme.test', jobTitle: 'Lead Plumber' });
      await call(SUPPORT, 'users_set_features', {
        user: 'nina@northwind.test',
        features: { reviews: false },
      });
      await call(SUPPORT, 'users_invite', { email: 'joy@acme.test', name: 'Joy New', tenant: 'acme' });
      expect((await row('dave@acme.test')).jobTitle).to.equal('Lead Plumber');
      expect((await row('nina@northwind.test')).features.reviews).to.equal(false);
      expect((await row('joy@acme.test')).status).to.equal('invited');
    });

    it('hides users of tenants outside its scope from a sub-admin (not_found)', async () => {
      for (const user of [YUKI, 'pete@brightpath.test', OPS]) {
        const before = await row(user);
        const error = await refusalOf(call(SUPPORT, 'users_update_profile', { user, name: 'Renamed' }));
        expect(error.code, user).to.equal('not_found');
        expect(await row(user)).to.deep.equal(before);
      }
      const invite = await refusalOf(
        call(SUPPORT, 'users_invite', { email: 'kim@zen.test', name: 'Kim', tenant: 'zen' }),
      );
      expect(invite.code).to.equal('not_found');
    });

    it('refuses a sub-admin inviting into its own platform tenant', async () => {
      const error = await refusalOf(
        call(SUPPORT, 'users_invite', { email: 'lee@bizosaas.test', name: 'Lee' }),
      );
      expect(error.code).to.equal('forbidden');
      expect(error.message).to.match(/outside the tenants/);
    });

    it('refuses a sub-admin managing a non-client user in a scoped tenant', async () => {
      const error = await refusalOf(
        call(SUPPORT, 'users_update_profile', { user: 'percy@acme.test', name: 'X' }),
      );
      expect(error.code).to.equal('forbidden');
    });

    it('refuses a sub-admin any role change: the role lacks users.roles', async () => {
      const error = await refusalOf(call(SUPPORT, 'users_set_role', { user: CAROL, role: 'client' }));
      expect(error.code).to.equal('forbidden');
      expect(error.details).to.deep.equal({ tool: 'users_set_role' });
    });
  });

  describe('sub-admin scopes', () => {
    it('stores the tenant ids (not slugs) and categories given with the sub_admin role', async () => {
      const acme = await world.tenantId('acme');
      const result = (await call(ROOT, 'users_set_role', {
        user: YUKI,
        role: 'sub_admin',
        scopes: { tenants: ['acme', acme], categories: ['CRM'] },
      })) as { user: { role: string; scopes: unknown } };
      expect(result.user).to.deep.include({
        role: 'sub_admin',
        scopes: { tenants: [acme], categories: ['CRM'] },
      });
      expect((await row(YUKI)).scopes).to.deep.equal({ tenants: [acme], categories: ['CRM'] });
      const yuki = await world.as(YUKI);
      expect(yuki.tenantScope).to.deep.equal([acme]);
      expect(yuki.categories).to.deep.equal(['CRM']);
    });

    it('refuses scopes with any role other than sub_admin as bad_request naming scopes', async () => {
      const before = await row('gil@zen.test');
      const error = await refusalOf(
        call(ROOT, 'users_set_role', {
          user: 'gil@zen.test',
          role: 'partner',
          scopes: { tenants: ['acme'] },
        }),
      );
      expect(error.code).to.equal('bad_request');
      expect(error.details).to.deep.equal({ field: 'scopes' });
      expect(await row('gil@zen.test')).to.deep.equal(before);
    });

    it('refuses a scope naming an unknown tenant as not_found', async () => {
      const error = await refusalOf(
        call(ROOT, 'users_set_role', {
          user: 'gil@zen.test',
          role: 'sub_admin',
          scopes: { tenants: ['nowhere'] },
        }),
      );
      expect(error.code).to.equal('not_found');
      expect((await row('gil@zen.test')).role).to.equal('client');
    });

    it('clears the scopes when a sub-admin gets another role', async () => {
      await call(ROOT, 'users_set_role', {
        user: 'gil@zen.test',
        role: 'sub_admin',
        scopes: { tenants: ['zen'] },
      });
      await call(ROOT, 'users_set_role', { user: 'gil@zen.test', role: 'client' });
      expect((await row('gil@zen.test')).scopes).to.deep.equal({ tenants: [], categories: [] });
    });
  });

  describe('a role change', () => {
    const BOB = 'bob@northwind.test';
    const names = (principal: Principal) => world.platform.gateway.listTools(principal).map((t) => t.name);

    it('takes effect on the very next call: a promoted client has the partner tool set at once', async () => {
      const before = names(await world.as(BOB));
      expect(before).to.not.include('users_set_role');
      await call(ROOT, 'users_set_role', { user: BOB, role: 'partner' });
      const bob = await world.as(BOB);
      expect(bob.role).to.equal('partner');
      // Same role, same tools — but for those gated by a feature toggle, where Bob's and Paula's differ.
      const ungated = (principal: Principal) =>
        world.platform.gateway
          .listTools(principal)
          .filter((t) => !t.access.feature)
          .map((t) => t.name);
      expect(ungated(bob)).to.deep.equal(ungated(await world.as(PAULA)));
      expect(names(bob)).to.include.members(['users_set_role', 'users_invite', 'audit_search']);
    });

    it('takes effect for an open session on its next request, both ways', async () => {
      const http = httpClient(world.url);
      expect((await http.login(BOB, DEMO_PASSWORD)).status).to.equal(200);
      const toolNames = async () =>
        ((await http.get('/api/tools')).json.tools as { name: string }[]).map((t) => t.name);
      expect(await toolNames()).to.include('users_set_role');

      await call(ROOT, 'users_set_role', { user: BOB, role: 'client' });
      expect(await toolNames()).to.not.include('users_set_role');
      const refused = await http.post('/api/tools/users_set_role', {
        user: 'nina@northwind.test',
        role: 'client',
      });
      expect(refused.status).to.equal(403);
      expect((await http.get('/api/me')).json.user.role).to.equal('client');
    });
  });

  describe('the last super admin', () => {
    // A world of its own: these tests demote the other super admin (admin@bizosaas.local).
    let fresh: World;
    before(async () => {
      fresh = await startWorld();
    });
    after(() => fresh.close());

    const superAdmins = async () =>
      (await fresh.database.db.select().from(users).where(eq(users.role, 'super_admin'))).map((u) => u.email);

    it('lets a super admin demote another super admin while one remains', async () => {
      expect(await superAdmins()).to.have.members(['admin@bizosaas.local', ROOT]);
      await fresh.platform.gateway.callTool(await fresh.as(ROOT), 'users_set_role', {
        user: 'admin@bizosaas.local',
        role: 'admin',
      });
      expect(await superAdmins()).to.deep.equal([ROOT]);
    });

    it('refuses the last super admin demoting themself (own role comes first)', async () => {
      const error = await refusalOf(
        fresh.platform.gateway.callTool(await fresh.as(ROOT), 'users_set_role', {
          user: ROOT,
          role: 'admin',
        }),
      );
      expect(error.code).to.equal('forbidden');
      expect(await superAdmins()).to.deep.equal([ROOT]);
    });

    it('refuses a demotion by someone whose super admin role was taken away meanwhile, leaving the last super admin in place', async () => {
      // Only a super admin may demote one, and the actor counts as another; so the last one could only
      // be demoted by an actor whose own role was removed after their principal was built. The server
      // re-reads the super admins under a lock and refuses that actor.
      const root = await fresh.as(ROOT);
      await fresh.platform.gateway.callTool(root, 'users_invite', {
        email: 'next@bizosaas.test',
        name: 'Next Root',
        role: 'super_admin',
      });
      const other = await fresh.platform.gateway.callTool(root, 'users_set_role', {
        user: 'admin@bizosaas.local',
        role: 'super_admin',
      });
      expect(other).to.have.nested.property('user.role', 'super_admin');
      const stale = await fresh.as('admin@bizosaas.local');
      await fresh.platform.gateway.callTool(root, 'users_set_role', {
        user: 'admin@bizosaas.local',
        role: 'admin',
      });

      const error = await refusalOf(
        fresh.platform.gateway.callTool(stale, 'users_set_role', { user: ROOT, role: 'admin' }),
      );
      expect(error.code).to.equal('forbidden');
      expect(error.message).to.match(/super admin role was removed/);
      expect(await superAdmins()).to.have.members([ROOT, 'next@bizosaas.test']);
      expect((await fresh.database.db.select().from(users).where(eq(users.email, ROOT)))[0]?.role).to.equal(
        'super_admin',
      );
    });
  });
});

describe('own feature toggles', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  const featuresOf = async (email: string) =>
    (await world.database.db.select().from(users).where(eq(users.email, email)))[0]?.features;

  it('refuses partners, sub-admins and admins turning their own features back on', async () => {
    const root = await world.as('root@bizosaas.test');
    for (const email of ['paula@brightpath.test', 'support@bizosaas.test', 'ops@bizosaas.test']) {
      await world.platform.gateway.callTool(root, 'users_set_features', {
        user: email,
        features: { billing: false },
      });
      const error = await refusalOf(
        world.platform.gateway.callTool(await world.as(email), 'users_set_features', {
          user: email,
          features: { billing: true },
        }),
      );
      expect(error.code, email).to.equal('forbidden');
      expect(error.message).to.match(/own feature toggles/);
      expect((await featuresOf(email))?.billing, email).to.equal(false);
    }
  });

  it('lets a super admin set their own features, having nobody above them', async () => {
    const root = await world.as('root@bizosaas.test');
    await world.platform.gateway.callTool(root, 'users_set_features', {
      user: 'root@bizosaas.test',
      features: { analytics: false },
    });
    expect((await featuresOf('root@bizosaas.test'))?.analytics).to.equal(false);
  });
});
