import { expect } from 'chai';
import { eq, inArray, sql } from 'drizzle-orm';
import { appendAudit } from '../../core/audit/record.ts';
import { auditLog } from '../../core/audit/schema.ts';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import { isRlsViolation } from '../../core/db/errors.ts';
import { APP_ROLE, withTenantScope } from '../../core/db/tenant-scope.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { DEFAULT_FEATURES } from '../../core/roles.ts';
import { identity } from '../../servers/users/index.ts';
import { apiKeys, sessions, tenants, userCredentials, users } from '../../servers/users/schema.ts';
import { startWorld, type World } from '../support/world.ts';

type Scope = Pick<CallContext, 'tenantScope' | 'userId' | 'tenantId'>;

/** The innermost database error behind a (Drizzle-wrapped) failure: its SQLSTATE and message. */
function databaseError(error: unknown): { code?: string; message: string } {
  let e = error as { code?: unknown; message?: string; cause?: unknown } | undefined;
  while (e && !(typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) && e.cause)
    e = e.cause as typeof e;
  return { code: typeof e?.code === 'string' ? e.code : undefined, message: e?.message ?? String(error) };
}

async function failureOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to be refused, but it succeeded');
}

const ROLLBACK = new AppError('conflict', 'rolled back on purpose by the test');

describe('Tenant isolation: row-level security as the wall behind the code', () => {
  let world: World;
  let ids: Record<string, string>;

  /** Runs `fn` in the scope of `ctx`, then rolls everything back, returning what `fn` returned. */
  async function inScopeRolledBack<T>(ctx: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
    let value: T | undefined;
    const outcome = await withTenantScope(world.database.db, ctx, async (tx) => {
      value = await fn(tx);
      throw ROLLBACK;
    }).catch((error: unknown) => error);
    if (outcome !== ROLLBACK) throw outcome;
    return value as T;
  }

  /** A transaction as the application role with no tenant scope set at all. */
  function unscoped<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return world.database.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', ${APP_ROLE}, true)`);
      return fn(tx);
    });
  }

  const scopeOf = (email: string) => world.as(email);
  const owner = () => world.database.db;

  before(async () => {
    world = await startWorld();
    ids = {};
    for (const slug of ['hq', 'brightpath', 'northwind', 'acme', 'zen'])
      ids[slug] = await world.tenantId(slug);
    // Sessions and API keys in several tenants, made the way login and the operator command make them.
    for (const email of ['nina@northwind.test', 'carol@acme.test', 'yuki@zen.test']) {
      await identity.createSession(owner(), { userId: await world.userId(email), ttlHours: 1 });
      await identity.createApiKeyFor(owner(), email, `key of ${email}`);
    }
  });
  after(() => world.close());

  describe('a client of northwind', () => {
    it('reads only northwind users from a query with no where clause', async () => {
      const nina = await scopeOf('nina@northwind.test');
      const rows = await withTenantScope(world.database.db, nina, (tx) => tx.select().from(users));
      expect(rows.map((u) => u.email).sort()).to.deep.equal(['bob@northwind.test', 'nina@northwind.test']);
      expect(rows.every((u) => u.tenantId === ids.northwind)).to.equal(true);
    });

    it('sees only its own tenant among tenants', async () => {
      const nina = await scopeOf('nina@northwind.test');
      const rows = await withTenantScope(world.database.db, nina, (tx) => tx.select().from(tenants));
      expect(rows.map((t) => t.slug)).to.deep.equal(['northwind']);
    });

    it('reads only northwind sessions, API keys and credentials without filtering', async () => {
      const nina = await scopeOf('nina@northwind.test');
      const seen = await withTenantScope(world.database.db, nina, async (tx) => ({
        sessions: await tx.select({ tenantId: sessions.tenantId }).from(sessions),
        apiKeys: await tx.select({ tenantId: apiKeys.tenantId }).from(apiKeys),
        credentials: await tx.select({ tenantId: userCredentials.tenantId }).from(userCredentials),
      }));
      expect(seen.sessions).to.have.length(1);
      expect(seen.apiKeys).to.have.length(1);
      expect(seen.credentials).to.have.length(2);
      for (const rows of Object.values(seen)) {
        expect(rows.every((r) => r.tenantId === ids.northwind)).to.equal(true);
      }
    });

    it('updates and deletes no acme user even when the statement names them without a tenant condition', async () => {
      const nina = await scopeOf('nina@northwind.test');
      const acmeEmails = ['carol@acme.test', 'dave@acme.test'];
      const changed = await withTenantScope(world.database.db, nina, async (tx) => ({
        updated: await tx
          .update(users)
          .set({ jobTitle: 'hijacked' })
          .where(inArray(users.email, acmeEmails))
          .returning({ id: users.id }),
        deleted: await tx.delete(users).where(inArray(users.email, acmeEmails)).returning({ id: users.id }),
        sessionsRevoked: await tx
          .update(sessions)
          .set({ revokedAt: new Date() })
          .where(eq(sessions.tenantId, ids.acme as string))
          .returning({ id: sessions.id }),
        keysDeleted: await tx
          .delete(apiKeys)
          .where(eq(apiKeys.tenantId, ids.acme as string))
          .returning({ id: apiKeys.id }),
      }));
      expect(changed).to.deep.equal({ updated: [], deleted: [], sessionsRevoked: [], keysDeleted: [] });
      const acme = await owner().select().from(users).where(inArray(users.email, acmeEmails));
      expect(acme.map((u) => u.jobTitle).sort()).to.deep.equal(['Office Manager', 'Plumber']);
      const acmeSessions = await owner()
        .select()
        .from(sessions)
        .where(eq(sessions.tenantId, ids.acme as string));
      expect(acmeSessions.map((s) => s.revokedAt)).to.deep.equal([null]);
      const acmeKeys = await owner()
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.tenantId, ids.acme as string));
      expect(acmeKeys).to.have.length(1);
    });

    it('touches only northwind rows with an update that has no where clause at all', async () => {
      const nina = await scopeOf('nina@northwind.test');
      const touched = await inScopeRolledBack(nina, (tx) =>
        tx.update(users).set({ jobTitle: 'everyone' }).returning({ email: users.email }),
      );
      expect(touched.map((u) => u.email).sort()).to.deep.equal(['bob@northwind.test', 'nina@northwind.test']);
    });

    it('cannot insert a user into acme (row-level security violation)', async () => {
      const nina = await scopeOf('nina@northwind.test');
      const error = await failureOf(
        withTenantScope(world.database.db, nina, (tx) =>
          tx.insert(users).values({
            id: newId('user'),
            tenantId: ids.acme as string,
            email: 'planted@acme.test',
            name: 'Planted',
            role: 'client',
            features: { ...DEFAULT_FEATURES },
          }),
        ),
      );
      expect(isRlsViolation(error), databaseError(error).message).to.equal(true);
      expect(databaseError(error).message).to.match(/row-level security/);
      const planted = await owner().select().from(users).where(eq(users.email, 'planted@acme.test'));
      expect(planted).to.deep.equal([]);
    });

    it('cannot insert a session, an API key or credentials for an acme user', async () => {
      const nina = await scopeOf('nina@northwind.test');
      const carol = await world.userId('carol@acme.test');
      const attempts: ((tx: Tx) => Promise<unknown>)[] = [
        (tx) =>
          tx.insert(sessions).values({
            id: newId('session'),
            tokenHash: `planted-${newId('session')}`,
            userId: carol,
            tenantId: ids.acme as string,
            expiresAt: new Date(Date.now() + 3_600_000),
          }),
        (tx) =>
          tx.insert(apiKeys).values({
            id: newId('apiKey'),
            userId: carol,
            tenantId: ids.acme as string,
            name: 'planted',
            prefix: 'bzs_planted',
            keyHash: `planted-${newId('apiKey')}`,
          }),
        (tx) =>
          tx
            .insert(userCredentials)
            .values({ userId: carol, tenantId: ids.acme as string, passwordHash: 'planted' })
            .onConflictDoUpdate({ target: userCredentials.userId, set: { passwordHash: 'planted' } }),
      ];
      for (const attempt of attempts) {
        const error = await failureOf(withTenantScope(world.database.db, nina, attempt));
        expect(isRlsViolation(error), databaseError(error).message).to.equal(true);
      }
      const [credential] = await owner()
        .select()
        .from(userCredentials)
        .where(eq(userCredentials.userId, carol));
      expect(credential?.passwordHash).to.not.equal('planted');
    });

    it('cannot move its own user row into another tenant', async () => {
      const nina = await scopeOf('nina@northwind.test');
      // Rolled back whatever happens, so a hole in the wall cannot leak into the other tests.
      const error = await failureOf(
        inScopeRolledBack(nina, (tx) =>
          tx
            .update(users)
            .set({ tenantId: ids.acme as string })
            .where(eq(users.id, nina.userId)),
        ),
      );
      expect(isRlsViolation(error), databaseError(error).message).to.equal(true);
      const [row] = await owner().select().from(users).where(eq(users.id, nina.userId));
      expect(row?.tenantId).to.equal(ids.northwind);
    });

    it('cannot file its own session or API key under another tenant', async () => {
      const nina = await scopeOf('nina@northwind.test');
      const attempts: ((tx: Tx) => Promise<unknown>)[] = [
        (tx) =>
          tx.insert(sessions).values({
            id: newId('session'),
            tokenHash: `own-elsewhere-${newId('session')}`,
            userId: nina.userId,
            tenantId: ids.acme as string,
            expiresAt: new Date(Date.now() + 3_600_000),
          }),
        (tx) =>
          tx.insert(apiKeys).values({
            id: newId('apiKey'),
            userId: nina.userId,
            tenantId: ids.acme as string,
            name: 'own key elsewhere',
            prefix: 'bzs_elsewhere',
            keyHash: `own-elsewhere-${newId('apiKey')}`,
          }),
      ];
      for (const attempt of attempts) {
        const error = await failureOf(inScopeRolledBack(nina, attempt));
        expect(isRlsViolation(error), databaseError(error).message).to.equal(true);
      }
    });

    it('cannot create a tenant', async () => {
      const nina = await scopeOf('nina@northwind.test');
      const error = await failureOf(
        withTenantScope(world.database.db, nina, (tx) =>
          tx
            .insert(tenants)
            .values({ id: newId('tenant'), slug: 'planted', name: 'Planted', kind: 'client' }),
        ),
      );
      expect(isRlsViolation(error), databaseError(error).message).to.equal(true);
    });
  });

  describe('the audit log', () => {
    before(async () => {
      const [nina, bob, carol, root] = await Promise.all(
        ['nina@northwind.test', 'bob@northwind.test', 'carol@acme.test', 'root@bizosaas.test'].map((e) =>
          world.userId(e),
        ),
      );
      await appendAudit(owner(), [
        {
          tool: 'isolation_probe',
          via: 'system',
          outcome: 'ok',
          tenantId: ids.northwind,
          userId: bob,
          target: 'bob-in-northwind',
        },
        {
          tool: 'isolation_probe',
          via: 'system',
          outcome: 'ok',
          tenantId: ids.acme,
          userId: nina,
          target: 'nina-elsewhere',
        },
        {
          tool: 'isolation_probe',
          via: 'system',
          outcome: 'ok',
          tenantId: ids.zen,
          userId: root,
          impersonatorId: nina,
          target: 'nina-as-impersonator',
        },
        {
          tool: 'isolation_probe',
          via: 'system',
          outcome: 'ok',
          tenantId: ids.acme,
          userId: carol,
          target: 'carol-in-acme',
        },
        {
          tool: 'isolation_probe',
          via: 'system',
          outcome: 'ok',
          tenantId: null,
          userId: root,
          target: 'platform-wide',
        },
      ]);
    });

    it('shows a client only records of its tenant or of its own actions', async () => {
      const nina = await scopeOf('nina@northwind.test');
      const rows = await withTenantScope(world.database.db, nina, (tx) => tx.select().from(auditLog));
      expect(rows.length).to.be.greaterThan(0);
      for (const row of rows) {
        const mine = row.userId === nina.userId || row.impersonatorId === nina.userId;
        expect(
          row.tenantId === ids.northwind || mine,
          `record ${row.target} of tenant ${row.tenantId}`,
        ).to.equal(true);
      }
      const probes = rows.filter((r) => r.tool === 'isolation_probe').map((r) => r.target);
      expect(probes.sort()).to.deep.equal(['bob-in-northwind', 'nina-as-impersonator', 'nina-elsewhere']);
    });

    it('refuses UPDATE and DELETE of audit records to the application role, even in its own tenant', async () => {
      for (const email of ['nina@northwind.test', 'ops@bizosaas.test']) {
        const ctx = await scopeOf(email);
        const statements = [
          sql`update audit_log set outcome = 'ok' where tenant_id = ${ids.northwind}`,
          sql`delete from audit_log where tenant_id = ${ids.northwind}`,
          sql`delete from audit_log`,
          sql`truncate audit_log`,
        ];
        for (const statement of statements) {
          const error = await failureOf(
            withTenantScope(world.database.db, ctx, (tx) => tx.execute(statement)),
          );
          expect(databaseError(error).code).to.equal('42501');
          expect(databaseError(error).message).to.match(/permission denied for table audit_log/);
        }
      }
      const probes = await owner().select().from(auditLog).where(eq(auditLog.tool, 'isolation_probe'));
      expect(probes).to.have.length(5);
    });
  });

  describe('other scopes', () => {
    it('shows a partner its own tenant and its client tenants, and only their users', async () => {
      const paula = await scopeOf('paula@brightpath.test');
      const seen = await withTenantScope(world.database.db, paula, async (tx) => ({
        tenants: await tx.select({ slug: tenants.slug }).from(tenants),
        users: await tx.select({ tenantId: users.tenantId }).from(users),
      }));
      expect(seen.tenants.map((t) => t.slug).sort()).to.deep.equal(['acme', 'brightpath', 'northwind']);
      expect([...new Set(seen.users.map((u) => u.tenantId))].sort()).to.deep.equal(
        [ids.acme, ids.brightpath, ids.northwind].sort(),
      );
    });

    it("shows a sub-admin its scoped tenants' users and its own row, which lies outside that scope", async () => {
      const support = await scopeOf('support@bizosaas.test');
      const rows = await withTenantScope(world.database.db, support, (tx) =>
        tx.select({ email: users.email }).from(users),
      );
      expect(rows.map((u) => u.email).sort()).to.deep.equal([
        'bob@northwind.test',
        'carol@acme.test',
        'dave@acme.test',
        'nina@northwind.test',
        'support@bizosaas.test',
      ]);
    });

    it("shows an admin ('*' scope) every row of every table", async () => {
      const ops = await scopeOf('ops@bizosaas.test');
      const count = (tx: Tx, table: string) =>
        tx.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`).then((r) => {
          const rows = (r as unknown as { rows: { n: number }[] }).rows;
          return rows[0]?.n;
        });
      const tables = [
        'tenants',
        'users',
        'user_credentials',
        'sessions',
        'api_keys',
        'invitations',
        'audit_log',
      ];
      const scoped: Record<string, number | undefined> = {};
      const all: Record<string, number | undefined> = {};
      await withTenantScope(world.database.db, ops, async (tx) => {
        for (const t of tables) scoped[t] = await count(tx, t);
      });
      await world.database.db.transaction(async (tx) => {
        for (const t of tables) all[t] = await count(tx, t);
      });
      expect(scoped).to.deep.equal(all);
      expect(scoped.tenants).to.equal(5);
    });

    it('shows nothing to the application role when no scope is set', async () => {
      const seen = await unscoped(async (tx) => ({
        tenants: (await tx.select().from(tenants)).length,
        users: (await tx.select().from(users)).length,
        credentials: (await tx.select().from(userCredentials)).length,
        sessions: (await tx.select().from(sessions)).length,
        apiKeys: (await tx.select().from(apiKeys)).length,
        audit: (await tx.select().from(auditLog)).length,
      }));
      expect(seen).to.deep.equal({ tenants: 0, users: 0, credentials: 0, sessions: 0, apiKeys: 0, audit: 0 });
    });
  });

  describe('the first wall: tool calls through the gateway', () => {
    it('refuses a partner reading or changing a zen user as not found, and changes nothing', async () => {
      const paula = await world.as('paula@brightpath.test');
      const gateway = world.platform.gateway;
      const before = await owner().select().from(users).where(eq(users.email, 'yuki@zen.test'));
      const calls: [string, Record<string, unknown>][] = [
        ['users_get', { user: 'yuki@zen.test' }],
        ['users_get', { user: before[0]?.id }],
        ['users_update_profile', { user: 'yuki@zen.test', jobTitle: 'Taken over' }],
        ['users_set_features', { user: 'yuki@zen.test', features: { billing: true } }],
      ];
      for (const [tool, args] of calls) {
        const error = await failureOf(gateway.callTool(paula, tool, args));
        expect(error, tool).to.be.instanceOf(AppError);
        expect((error as AppError).code, tool).to.equal('not_found');
      }
      const after = await owner().select().from(users).where(eq(users.email, 'yuki@zen.test'));
      expect(after).to.deep.equal(before);
    });

    it('lists for sub-admin support@ only users of northwind and acme, and themself', async () => {
      const support = await world.as('support@bizosaas.test');
      const gateway = world.platform.gateway;
      const all = (await gateway.callTool(support, 'users_list', { pageSize: 100 })) as {
        items: { email: string; tenant: { slug: string } }[];
        total: number;
      };
      expect(all.items.map((u) => u.email).sort()).to.deep.equal([
        'bob@northwind.test',
        'carol@acme.test',
        'dave@acme.test',
        'nina@northwind.test',
        'support@bizosaas.test',
      ]);
      expect(all.total).to.equal(5);
      const searched = (await gateway.callTool(support, 'users_list', { query: 'zen' })) as {
        items: unknown[];
      };
      expect(searched.items).to.deep.equal([]);
      for (const tenant of ['zen', 'brightpath']) {
        const error = await failureOf(gateway.callTool(support, 'users_list', { tenant }));
        expect((error as AppError).code, tenant).to.equal('not_found');
      }
    });
  });
});
