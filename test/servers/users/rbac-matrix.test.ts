import { expect } from 'chai';
import { asc, gt, sql } from 'drizzle-orm';
import { auditLog } from '../../../core/audit/schema.ts';
import { AppError, type ErrorCode } from '../../../core/errors.ts';
import type { Role } from '../../../core/roles.ts';
import { apiKeys, invitations, users } from '../../../servers/users/schema.ts';
import { startWorld, type World } from '../../support/world.ts';

/**
 * Each role calling each users tool on a representative target. Allowed writes land on users
 * nobody else's row touches, so no row changes the outcome of another.
 */

const PEOPLE = {
  root: 'root@bizosaas.test',
  ops: 'ops@bizosaas.test',
  support: 'support@bizosaas.test',
  paula: 'paula@brightpath.test',
  nina: 'nina@northwind.test',
  bob: 'bob@northwind.test',
  carol: 'carol@acme.test',
  dave: 'dave@acme.test',
  yuki: 'yuki@zen.test',
} as const;
type Person = keyof typeof PEOPLE;
type Actor = 'root' | 'ops' | 'support' | 'paula' | 'nina';

const ROLE_OF: Record<Actor, Role> = {
  root: 'super_admin',
  ops: 'admin',
  support: 'sub_admin',
  paula: 'partner',
  nina: 'client',
};
/** "a super_admin (root)", "an admin (ops)": how test names speak of an actor. */
const who = (actor: Actor) => `${ROLE_OF[actor] === 'admin' ? 'an' : 'a'} ${ROLE_OF[actor]} (${actor})`;

// Invited before the matrix runs: the users each actor's allowed writes change.
const WRITE_TARGETS = [
  { email: 'zoe@zen.test', name: 'Zoe Target', tenant: 'zen' }, // root's
  { email: 'zack@zen.test', name: 'Zack Target', tenant: 'zen' }, // ops's
  { email: 'sue@acme.test', name: 'Sue Target', tenant: 'acme' }, // support's
  { email: 'pat@northwind.test', name: 'Pat Target', tenant: 'northwind' }, // paula's
];

type Expected = 'ok' | ErrorCode;
type Row = [actor: Actor, tool: string, args: Record<string, unknown>, expected: Expected];

/** `$key:<owner>#<n>` stands for an API key of that person, created before the matrix runs. */
const key = (owner: Person, n: number) => `$key:${owner}#${n}`;

const MATRIX: Row[] = [
  ['root', 'users_list', {}, 'ok'],
  ['root', 'users_get', { user: PEOPLE.yuki }, 'ok'],
  ['root', 'users_invite', { email: 'new.root@zen.test', name: 'New Client', tenant: 'zen' }, 'ok'],
  ['root', 'users_invite', { email: 'new.admin@bizosaas.test', name: 'New Admin', role: 'admin' }, 'ok'],
  ['root', 'users_update_profile', { user: 'zoe@zen.test', jobTitle: 'Manager' }, 'ok'],
  ['root', 'users_set_role', { user: 'zoe@zen.test', role: 'partner' }, 'ok'],
  ['root', 'users_set_role', { user: PEOPLE.root, role: 'admin' }, 'forbidden'],
  ['root', 'users_set_features', { user: 'zoe@zen.test', features: { ai: false } }, 'ok'],
  ['root', 'users_create_api_key', { name: 'root script' }, 'ok'],
  ['root', 'users_list_api_keys', { user: PEOPLE.carol }, 'ok'],
  ['root', 'users_revoke_api_key', { key: key('yuki', 1) }, 'ok'],

  ['ops', 'users_list', {}, 'ok'],
  ['ops', 'users_get', { user: PEOPLE.root }, 'ok'],
  ['ops', 'users_invite', { email: 'new.ops@zen.test', name: 'New Client', tenant: 'zen' }, 'ok'],
  ['ops', 'users_invite', { email: 'no.admin@bizosaas.test', name: 'No Admin', role: 'admin' }, 'forbidden'],
  ['ops', 'users_update_profile', { user: 'zack@zen.test', jobTitle: 'Manager' }, 'ok'],
  ['ops', 'users_update_profile', { user: PEOPLE.root, jobTitle: 'Intern' }, 'forbidden'],
  ['ops', 'users_set_role', { user: 'zack@zen.test', role: 'partner' }, 'ok'],
  ['ops', 'users_set_role', { user: PEOPLE.root, role: 'client' }, 'forbidden'],
  ['ops', 'users_set_role', { user: PEOPLE.yuki, role: 'admin' }, 'forbidden'],
  ['ops', 'users_set_role', { user: PEOPLE.ops, role: 'super_admin' }, 'forbidden'],
  ['ops', 'users_set_features', { user: 'zack@zen.test', features: { crm: false } }, 'ok'],
  ['ops', 'users_set_features', { user: PEOPLE.root, features: { ai: false } }, 'forbidden'],
  ['ops', 'users_create_api_key', { name: 'ops script' }, 'ok'],
  ['ops', 'users_list_api_keys', { user: PEOPLE.root }, 'forbidden'],
  ['ops', 'users_revoke_api_key', { key: key('carol', 1) }, 'ok'],
  ['ops', 'users_revoke_api_key', { key: key('root', 1) }, 'forbidden'],

  ['support', 'users_list', {}, 'ok'],
  ['support', 'users_get', { user: PEOPLE.carol }, 'ok'],
  ['support', 'users_get', { user: PEOPLE.yuki }, 'not_found'],
  ['support', 'users_invite', { email: 'new.support@acme.test', name: 'New Client', tenant: 'acme' }, 'ok'],
  [
    'support',
    'users_invite',
    { email: 'no.support@zen.test', name: 'No Client', tenant: 'zen' },
    'not_found',
  ],
  [
    'support',
    'users_invite',
    { email: 'no.partner@acme.test', name: 'No Partner', tenant: 'acme', role: 'partner' },
    'forbidden',
  ],
  ['support', 'users_update_profile', { user: 'sue@acme.test', jobTitle: 'Manager' }, 'ok'],
  ['support', 'users_update_profile', { user: PEOPLE.yuki, jobTitle: 'Intern' }, 'not_found'],
  ['support', 'users_update_profile', { user: PEOPLE.ops, jobTitle: 'Intern' }, 'not_found'],
  ['support', 'users_set_role', { user: 'sue@acme.test', role: 'client' }, 'forbidden'],
  ['support', 'users_set_features', { user: 'sue@acme.test', features: { billing: false } }, 'ok'],
  ['support', 'users_set_features', { user: PEOPLE.yuki, features: { ai: false } }, 'not_found'],
  ['support', 'users_create_api_key', { name: 'support script' }, 'ok'],
  ['support', 'users_list_api_keys', { user: PEOPLE.carol }, 'ok'],
  ['support', 'users_list_api_keys', { user: PEOPLE.yuki }, 'not_found'],
  ['support', 'users_revoke_api_key', { key: key('dave', 1) }, 'ok'],
  ['support', 'users_revoke_api_key', { key: key('yuki', 2) }, 'not_found'],

  ['paula', 'users_list', {}, 'ok'],
  ['paula', 'users_get', { user: PEOPLE.carol }, 'ok'],
  ['paula', 'users_get', { user: PEOPLE.yuki }, 'not_found'],
  ['paula', 'users_get', { user: PEOPLE.ops }, 'not_found'],
  ['paula', 'users_invite', { email: 'new.paula@acme.test', name: 'New Client', tenant: 'acme' }, 'ok'],
  [
    'paula',
    'users_invite',
    { email: 'no.agency@brightpath.test', name: 'No Agency', tenant: 'brightpath' },
    'forbidden',
  ],
  [
    'paula',
    'users_invite',
    { email: 'no.partner@acme.test', name: 'No Partner', tenant: 'acme', role: 'partner' },
    'forbidden',
  ],
  ['paula', 'users_invite', { email: 'no.paula@zen.test', name: 'No Client', tenant: 'zen' }, 'not_found'],
  ['paula', 'users_update_profile', { user: 'pat@northwind.test', jobTitle: 'Manager' }, 'ok'],
  ['paula', 'users_update_profile', { user: PEOPLE.yuki, jobTitle: 'Intern' }, 'not_found'],
  ['paula', 'users_set_role', { user: 'pat@northwind.test', role: 'client' }, 'ok'],
  ['paula', 'users_set_role', { user: PEOPLE.carol, role: 'partner' }, 'forbidden'],
  ['paula', 'users_set_role', { user: PEOPLE.paula, role: 'client' }, 'forbidden'],
  ['paula', 'users_set_features', { user: 'pat@northwind.test', features: { analytics: false } }, 'ok'],
  ['paula', 'users_set_features', { user: PEOPLE.yuki, features: { ai: false } }, 'not_found'],
  ['paula', 'users_create_api_key', { name: 'agency script' }, 'ok'],
  ['paula', 'users_list_api_keys', { user: PEOPLE.carol }, 'ok'],
  ['paula', 'users_revoke_api_key', { key: key('bob', 1) }, 'ok'],
  ['paula', 'users_revoke_api_key', { key: key('ops', 1) }, 'not_found'],

  ['nina', 'users_list', {}, 'ok'],
  ['nina', 'users_get', { user: PEOPLE.bob }, 'ok'],
  ['nina', 'users_get', { user: PEOPLE.carol }, 'not_found'],
  ['nina', 'users_invite', { email: 'no.nina@northwind.test', name: 'No Client' }, 'forbidden'],
  ['nina', 'users_update_profile', { jobTitle: 'Head Baker' }, 'ok'],
  ['nina', 'users_update_profile', { user: PEOPLE.bob, jobTitle: 'Intern' }, 'forbidden'],
  ['nina', 'users_update_profile', { user: PEOPLE.carol, jobTitle: 'Intern' }, 'not_found'],
  ['nina', 'users_set_role', { user: PEOPLE.bob, role: 'client' }, 'forbidden'],
  ['nina', 'users_set_features', { user: PEOPLE.bob, features: { ai: false } }, 'forbidden'],
  ['nina', 'users_set_features', { user: PEOPLE.nina, features: { billing: false } }, 'forbidden'],
  ['nina', 'users_create_api_key', { name: 'nina laptop' }, 'ok'],
  ['nina', 'users_list_api_keys', {}, 'ok'],
  ['nina', 'users_list_api_keys', { user: PEOPLE.bob }, 'forbidden'],
  ['nina', 'users_revoke_api_key', { key: key('bob', 2) }, 'forbidden'],
  ['nina', 'users_revoke_api_key', { key: key('nina', 1) }, 'ok'],
];

// Every tool of the users and audit servers; the self-service ones every role has.
const SELF_TOOLS = [
  'users_change_password',
  'users_create_api_key',
  'users_end_impersonation',
  'users_get_notification_preferences',
  'users_list_api_keys',
  'users_list_sessions',
  'users_mfa_confirm',
  'users_mfa_disable',
  'users_mfa_enroll',
  'users_mfa_status',
  'users_remove_avatar',
  'users_revoke_api_key',
  'users_revoke_sessions',
  'users_set_avatar',
  'users_set_locale',
  'users_set_notification_preferences',
  'users_sign_out_other_sessions',
  'users_update_profile',
];
const sorted = (names: string[]) => [...names].sort();
const ALL_TOOLS = sorted([
  ...SELF_TOOLS,
  'audit_search',
  'audit_user_timeline',
  'audit_verify_chain',
  'users_force_password_reset',
  'users_get',
  'users_impersonate',
  'users_invite',
  'users_list',
  'users_set_features',
  'users_set_role',
]);
const VISIBLE_TOOLS: Record<Actor, string[]> = {
  root: ALL_TOOLS,
  ops: ALL_TOOLS.filter((t) => t !== 'users_impersonate'),
  support: ALL_TOOLS.filter(
    (t) => !['users_set_role', 'users_impersonate', 'audit_verify_chain'].includes(t),
  ),
  paula: ALL_TOOLS.filter((t) => !['users_impersonate', 'audit_verify_chain'].includes(t)),
  nina: sorted([...SELF_TOOLS, 'users_get', 'users_list']),
};

// What users_list shows the roles whose scope is a list of tenants (the write targets included).
const VISIBLE_USERS: Record<'support' | 'paula' | 'nina', string[]> = {
  support: [
    PEOPLE.support,
    PEOPLE.nina,
    PEOPLE.bob,
    PEOPLE.carol,
    PEOPLE.dave,
    'sue@acme.test',
    'pat@northwind.test',
  ],
  paula: [
    PEOPLE.paula,
    PEOPLE.nina,
    PEOPLE.bob,
    PEOPLE.carol,
    PEOPLE.dave,
    'sue@acme.test',
    'pat@northwind.test',
  ],
  nina: [PEOPLE.nina, PEOPLE.bob, 'pat@northwind.test'],
};

async function outcomeOf(call: Promise<unknown>): Promise<Expected> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

function describeRow([actor, tool, args, expected]: Row): string {
  const verdict = expected === 'ok' ? 'is allowed' : `is refused as ${expected}`;
  return `${who(actor)} calling ${tool} ${JSON.stringify(args)} ${verdict}`;
}

describe('users tools: what each role may call (RBAC matrix)', () => {
  let world: World;
  const keyIds = new Map<string, string>();

  before(async () => {
    world = await startWorld();
    const root = await world.as(PEOPLE.root);
    for (const target of WRITE_TARGETS) await world.platform.gateway.callTool(root, 'users_invite', target);
    const placeholders = MATRIX.map((row) => row[2].key).filter(
      (k): k is string => typeof k === 'string' && k.startsWith('$key:'),
    );
    for (const placeholder of placeholders) {
      const owner = placeholder.slice('$key:'.length).split('#')[0] as Person;
      const principal = await world.as(PEOPLE[owner]);
      const created = (await world.platform.gateway.callTool(principal, 'users_create_api_key', {
        name: placeholder,
      })) as { apiKey: { id: string } };
      keyIds.set(placeholder, created.apiKey.id);
    }
  });
  after(() => world.close());

  const db = () => world.database.db;
  const resolveArgs = (args: Record<string, unknown>) =>
    typeof args.key === 'string' && keyIds.has(args.key) ? { ...args, key: keyIds.get(args.key) } : args;
  const snapshot = async () => ({
    users: await db().select().from(users).orderBy(asc(users.id)),
    invitations: await db().select().from(invitations).orderBy(asc(invitations.id)),
    apiKeys: await db().select().from(apiKeys).orderBy(asc(apiKeys.id)),
  });
  const lastSeq = async () => {
    const [row] = await db()
      .select({ n: sql<string>`coalesce(max(${auditLog.seq}), 0)` })
      .from(auditLog);
    return Number(row?.n ?? 0);
  };

  describe('listTools', () => {
    for (const actor of Object.keys(VISIBLE_TOOLS) as Actor[]) {
      it(`shows ${who(actor)} exactly the tools the role table permits`, async () => {
        // This matrix covers the users and audit servers; the other servers' suites cover theirs.
        const tools = world.platform.gateway.listTools(await world.as(PEOPLE[actor]));
        const names = tools
          .map((t) => t.name)
          .filter((n) => n.startsWith('users_') || n.startsWith('audit_'));
        expect(names).to.deep.equal(VISIBLE_TOOLS[actor]);
      });
    }

    it('shows a client none of the invite, role, feature or audit tools', async () => {
      const names = world.platform.gateway.listTools(await world.as(PEOPLE.nina)).map((t) => t.name);
      expect(names).to.not.include.members(['users_invite', 'users_set_role', 'users_set_features']);
      expect(names.filter((n) => n.startsWith('audit_'))).to.deep.equal([]);
    });

    for (const actor of Object.keys(VISIBLE_TOOLS) as Actor[]) {
      const hidden = ALL_TOOLS.filter((t) => !VISIBLE_TOOLS[actor].includes(t));
      if (hidden.length === 0) continue;
      it(`refuses ${who(actor)} every hidden tool called anyway, as forbidden: ${hidden.join(', ')}`, async () => {
        const principal = await world.as(PEOPLE[actor]);
        for (const tool of hidden) {
          const outcome = await outcomeOf(world.platform.gateway.callTool(principal, tool, {}));
          expect(outcome, tool).to.equal('forbidden');
        }
      });
    }
  });

  describe('users_list', () => {
    for (const [actor, emails] of Object.entries(VISIBLE_USERS) as [Actor, string[]][]) {
      it(`shows ${who(actor)} only the users of the tenants in their scope`, async () => {
        const result = (await world.platform.gateway.callTool(await world.as(PEOPLE[actor]), 'users_list', {
          pageSize: 100,
        })) as { items: { email: string }[]; total: number };
        expect(result.items.map((u) => u.email)).to.have.members(emails);
        expect(result.total).to.equal(emails.length);
      });
    }

    it('shows platform staff with a global scope every user', async () => {
      for (const actor of ['root', 'ops'] as const) {
        const result = (await world.platform.gateway.callTool(await world.as(PEOPLE[actor]), 'users_list', {
          pageSize: 100,
        })) as { items: { email: string }[] };
        expect(result.items.map((u) => u.email)).to.include.members([
          ...Object.values(PEOPLE),
          'admin@bizosaas.local',
        ]);
      }
    });
  });

  describe('each call', () => {
    for (const row of MATRIX) {
      const [actor, tool, rawArgs, expected] = row;
      it(describeRow(row), async () => {
        const gateway = world.platform.gateway;
        const hosted = gateway.host.tool(tool);
        expect(hosted, `tool ${tool} is mounted`).to.not.equal(undefined);
        const isWrite = !hosted?.annotations.readOnlyHint;
        const principal = await world.as(PEOPLE[actor]);
        const args = resolveArgs(rawArgs);

        await world.platform.audit.flush();
        const since = await lastSeq();
        const before = await snapshot();

        expect(await outcomeOf(gateway.callTool(principal, tool, args))).to.equal(expected);

        if (expected !== 'ok' && isWrite) {
          expect(await snapshot(), 'no user, invitation or API key changed').to.deep.equal(before);
        }
        await world.platform.audit.flush();
        const records = await db()
          .select()
          .from(auditLog)
          .where(gt(auditLog.seq, since))
          .orderBy(asc(auditLog.seq));
        expect(records, 'exactly one audit record for the call').to.have.length(1);
        expect(records[0]).to.include({ tool, userId: principal.userId, outcome: expected });
        if (expected !== 'ok') expect(records[0]?.args).to.deep.equal(args);
      });
    }
  });
});
