import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { expect } from 'chai';
import { asc, count, eq, gt, max } from 'drizzle-orm';
import { z } from 'zod';
import { createAuditBatcher } from '../../../core/audit/batch-writer.ts';
import { appendAudit, redactArgs } from '../../../core/audit/record.ts';
import { auditLog } from '../../../core/audit/schema.ts';
import { AppError } from '../../../core/errors.ts';
import { createLogger } from '../../../core/logger.ts';
import { defineServer } from '../../../servers/kit/define-server.ts';
import { defineTool } from '../../../servers/kit/tool.ts';
import { invitations, users } from '../../../servers/users/schema.ts';
import { refusalOf } from '../../support/refusal.ts';
import { startWorld, type World } from '../../support/world.ts';

type AuditRow = typeof auditLog.$inferSelect;

interface AuditItem {
  id: string;
  at: string;
  tool: string;
  target: string | null;
  outcome: string;
  error: string | null;
  user: { id: string; email: string } | null;
  impersonator: { id: string; email: string } | null;
  tenantId: string | null;
  args: Record<string, unknown>;
}
interface AuditPage {
  items: AuditItem[];
  page: number;
  pageSize: number;
  total: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectNewestFirst(items: AuditItem[]) {
  const times = items.map((i) => Date.parse(i.at));
  expect(times).to.deep.equal([...times].sort((a, b) => b - a));
}

describe('Audit log', () => {
  let world: World;

  /** The highest sequence number written so far, after the batcher has written what it holds. */
  async function mark(): Promise<number> {
    await world.platform.audit.flush();
    const [row] = await world.database.db.select({ seq: max(auditLog.seq) }).from(auditLog);
    return Number(row?.seq ?? 0);
  }

  /** Every record written after `since`, oldest first. */
  async function recordsSince(since: number): Promise<AuditRow[]> {
    await world.platform.audit.flush();
    return world.database.db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, since))
      .orderBy(asc(auditLog.seq));
  }

  const call: World['call'] = (email, tool, args) => world.call(email, tool, args);
  const page = async (email: string, tool: string, args: Record<string, unknown> = {}) =>
    (await call(email, tool, args)) as unknown as AuditPage;
  const userRow = async (email: string) => {
    const [row] = await world.database.db.select().from(users).where(eq(users.email, email));
    return row;
  };

  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  describe('what a call leaves behind', () => {
    it('records a successful write once, in its own transaction, with actor, target, tenant and arguments', async () => {
      const since = await mark();
      const args = { user: 'nina@northwind.test', jobTitle: 'Head Baker' };
      await call('ops@bizosaas.test', 'users_update_profile', args);
      const records = await recordsSince(since);
      expect(records).to.have.length(1);
      expect(records[0]).to.include({
        tool: 'users_update_profile',
        outcome: 'ok',
        error: null,
        via: 'session',
        userId: await world.userId('ops@bizosaas.test'),
        userEmail: 'ops@bizosaas.test',
        target: await world.userId('nina@northwind.test'),
        tenantId: await world.tenantId('northwind'),
      });
      expect(records[0]?.args).to.deep.equal(args);
    });

    it('records a read through the batcher, once flushed', async () => {
      const since = await mark();
      await call('ops@bizosaas.test', 'users_list', { role: 'client' });
      expect(world.platform.audit.pending).to.equal(1);
      const unflushed = await world.database.db.select().from(auditLog).where(gt(auditLog.seq, since));
      expect(unflushed).to.deep.equal([]);
      const records = await recordsSince(since);
      expect(records).to.have.length(1);
      expect(records[0]).to.include({
        tool: 'users_list',
        outcome: 'ok',
        userEmail: 'ops@bizosaas.test',
        tenantId: await world.tenantId('hq'),
      });
      expect(records[0]?.args).to.deep.equal({ role: 'client' });
    });

    it('stamps a batched record with the time of the call, not the time the batch is written', async () => {
      const since = await mark();
      await call('ops@bizosaas.test', 'users_get', { user: 'dave@acme.test' });
      const calledBy = Date.now();
      await sleep(150);
      const [record] = await recordsSince(since);
      expect(record?.tool).to.equal('users_get');
      expect(record?.at.getTime()).to.be.at.most(calledBy);
    });

    it('records a refused call as forbidden, and the refused change does not happen', async () => {
      const since = await mark();
      const error = await refusalOf(
        call('nina@northwind.test', 'users_set_role', { user: 'bob@northwind.test', role: 'partner' }),
      );
      expect(error.code).to.equal('forbidden');
      expect((await userRow('bob@northwind.test'))?.role).to.equal('client');
      const records = await recordsSince(since);
      expect(records).to.have.length(1);
      expect(records[0]).to.include({
        tool: 'users_set_role',
        outcome: 'forbidden',
        userId: await world.userId('nina@northwind.test'),
        target: 'bob@northwind.test',
      });
      expect(records[0]?.error).to.equal(error.message);
    });

    it('records a write that hits a conflict with its error code, and no ok record and no new rows', async () => {
      const before = {
        users: (await world.database.db.select({ n: count() }).from(users))[0]?.n,
        invitations: (await world.database.db.select({ n: count() }).from(invitations))[0]?.n,
      };
      const since = await mark();
      const error = await refusalOf(
        call('ops@bizosaas.test', 'users_invite', {
          email: 'carol@acme.test',
          name: 'Carol Again',
          tenant: 'northwind',
        }),
      );
      expect(error.code).to.equal('conflict');
      const records = await recordsSince(since);
      expect(records.map((r) => [r.tool, r.outcome])).to.deep.equal([['users_invite', 'conflict']]);
      expect(records[0]?.error).to.match(/already exists/);
      expect({
        users: (await world.database.db.select({ n: count() }).from(users))[0]?.n,
        invitations: (await world.database.db.select({ n: count() }).from(invitations))[0]?.n,
      }).to.deep.equal(before);
    });

    it('rolls back a write that fails after changing data, leaving only a record of the failure', async () => {
      // A server whose write changes a row and then fails, as a real one might halfway through.
      const probe = defineServer({
        name: 'probe',
        version: '0.0.0',
        tools: [
          defineTool({
            name: 'break_after_write',
            title: 'Change a row, then fail',
            description: 'Test tool.',
            input: z.strictObject({ user: z.string() }),
            access: { permission: 'users.write', scope: 'tenant' },
            annotations: { readOnlyHint: false },
            handler: (args, toolCall) =>
              toolCall.transaction(async (tx) => {
                await tx.update(users).set({ jobTitle: 'half done' }).where(eq(users.id, args.user));
                toolCall.audit.target = args.user;
                throw new AppError('conflict', 'Someone else changed this user first.');
              }),
          }),
        ],
      });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await probe
        .create({
          db: world.database.db,
          contextKey: world.platform.keys.key('call-context'),
          log: world.platform.log,
        })
        .connect(serverSide);
      await world.platform.gateway.host.mount('probe', clientSide);

      const dave = await userRow('dave@acme.test');
      const since = await mark();
      const error = await refusalOf(call('ops@bizosaas.test', 'probe_break_after_write', { user: dave?.id }));
      expect(error.code).to.equal('conflict');
      expect((await userRow('dave@acme.test'))?.jobTitle).to.equal(dave?.jobTitle);
      const records = await recordsSince(since);
      expect(records.map((r) => [r.tool, r.outcome])).to.deep.equal([
        ['probe_break_after_write', 'conflict'],
      ]);
    });

    it('stores a secret-looking argument redacted', async () => {
      const since = await mark();
      const error = await refusalOf(
        call('ops@bizosaas.test', 'users_update_profile', { name: 'Olivia', password: 'hunter2-hunter2' }),
      );
      expect(error.code).to.equal('bad_request');
      const records = await recordsSince(since);
      expect(records).to.have.length(1);
      expect(records[0]?.args).to.deep.equal({ name: 'Olivia', password: '[redacted]' });
    });
  });

  describe('redactArgs', () => {
    it('replaces secrets at any depth and cuts long strings, leaving the input untouched', () => {
      const args = {
        email: 'ada@example.test',
        password: 'p',
        newPassword: 'q',
        apiKey: 'k1',
        api_key: 'k2',
        clientSecret: 's',
        resetToken: 't',
        nested: { credentials: { user: 'u' }, note: 'fine' },
        list: [{ token: 't', keep: 1 }],
        long: 'x'.repeat(600),
      };
      const copy = structuredClone(args);
      const out = redactArgs(args);
      expect(out).to.deep.equal({
        email: 'ada@example.test',
        password: '[redacted]',
        newPassword: '[redacted]',
        apiKey: '[redacted]',
        api_key: '[redacted]',
        clientSecret: '[redacted]',
        resetToken: '[redacted]',
        nested: { credentials: '[redacted]', note: 'fine' },
        list: [{ token: '[redacted]', keep: 1 }],
        long: `${'x'.repeat(500)}…`,
      });
      expect(args).to.deep.equal(copy);
    });

    it('stores nothing for arguments that are not an object', () => {
      for (const value of [null, undefined, 'password', 42, ['a']])
        expect(redactArgs(value)).to.deep.equal({});
    });
  });

  describe('the batcher', () => {
    const log = createLogger('silent');
    const probeRows = (tool: string) =>
      world.database.db.select().from(auditLog).where(eq(auditLog.tool, tool));

    it('writes on its own within its flush interval', async () => {
      const batcher = createAuditBatcher(world.database.db, log, { flushMs: 200 });
      batcher.push({ tool: 'batcher_timer_probe', via: 'system', outcome: 'ok' });
      expect(batcher.pending).to.equal(1);
      expect(await probeRows('batcher_timer_probe')).to.have.length(0);
      await sleep(600);
      expect(batcher.pending).to.equal(0);
      expect(await probeRows('batcher_timer_probe')).to.have.length(1);
      await batcher.close();
    });

    it('writes what it holds on close', async () => {
      const batcher = createAuditBatcher(world.database.db, log, { flushMs: 60_000 });
      batcher.push({ tool: 'batcher_close_probe', via: 'system', outcome: 'ok' });
      batcher.push({ tool: 'batcher_close_probe', via: 'system', outcome: 'forbidden' });
      expect(batcher.pending).to.equal(2);
      await batcher.close();
      expect(batcher.pending).to.equal(0);
      expect(await probeRows('batcher_close_probe')).to.have.length(2);
    });

    it('writes at once when the batch fills', async () => {
      const batcher = createAuditBatcher(world.database.db, log, { flushMs: 60_000, maxBatch: 3 });
      batcher.push({ tool: 'batcher_full_probe', via: 'system', outcome: 'ok' });
      batcher.push({ tool: 'batcher_full_probe', via: 'system', outcome: 'ok' });
      expect(batcher.pending).to.equal(2);
      batcher.push({ tool: 'batcher_full_probe', via: 'system', outcome: 'ok' });
      expect(batcher.pending).to.equal(0);
      await batcher.flush();
      expect(await probeRows('batcher_full_probe')).to.have.length(3);
      await batcher.close();
    });
  });

  describe('audit_search', () => {
    before(async () => {
      await call('nina@northwind.test', 'users_update_profile', { jobTitle: 'Owner and Baker' });
      await refusalOf(
        call('nina@northwind.test', 'users_set_role', { user: 'bob@northwind.test', role: 'admin' }),
      );
      await call('yuki@zen.test', 'users_update_profile', { jobTitle: 'Lead Teacher' });
      await call('root@bizosaas.test', 'users_update_profile', {
        user: 'yuki@zen.test',
        phone: '+1 555 0100',
      });
      const root = await world.userId('root@bizosaas.test');
      const hq = await world.tenantId('hq');
      const history = { tool: 'history_probe', via: 'system', outcome: 'ok', userId: root, tenantId: hq };
      await appendAudit(world.database.db, [
        { ...history, at: new Date('2024-03-10T12:00:00Z'), target: 'lead_XYZZY' },
        { ...history, at: new Date('2024-03-11T23:30:00Z'), error: 'Quota 100% used' },
        { ...history, at: new Date('2024-03-12T00:30:00Z') },
      ]);
      await world.platform.audit.flush();
    });

    it('lists records newest first', async () => {
      const result = await page('root@bizosaas.test', 'audit_search', { pageSize: 100 });
      expect(result.items.length).to.be.greaterThan(5);
      expectNewestFirst(result.items);
    });

    it('filters by tool name or part of it', async () => {
      const result = await page('root@bizosaas.test', 'audit_search', {
        tool: 'update_profile',
        pageSize: 100,
      });
      expect(result.total).to.be.at.least(3);
      expect(result.items.every((i) => i.tool === 'users_update_profile')).to.equal(true);
    });

    it('filters by outcome', async () => {
      const result = await page('root@bizosaas.test', 'audit_search', {
        outcome: 'forbidden',
        pageSize: 100,
      });
      expect(result.items.every((i) => i.outcome === 'forbidden')).to.equal(true);
      expect(result.items.map((i) => i.tool)).to.include('users_set_role');
    });

    it('filters by user, given by email or id', async () => {
      const nina = await world.userId('nina@northwind.test');
      for (const user of ['nina@northwind.test', nina]) {
        const result = await page('root@bizosaas.test', 'audit_search', { user, pageSize: 100 });
        expect(result.total).to.be.at.least(2);
        expect(result.items.every((i) => i.user?.id === nina || i.impersonator?.id === nina)).to.equal(true);
      }
    });

    it('filters by date range, a date-only end including that whole day', async () => {
      const at = async (range: Record<string, string>) =>
        (await page('root@bizosaas.test', 'audit_search', { tool: 'history_probe', ...range })).items.map(
          (i) => i.at,
        );
      expect(await at({ from: '2024-03-11', to: '2024-03-11' })).to.deep.equal(['2024-03-11T23:30:00.000Z']);
      expect(await at({ from: '2024-03-11T00:00:00Z' })).to.deep.equal([
        '2024-03-12T00:30:00.000Z',
        '2024-03-11T23:30:00.000Z',
      ]);
      expect(await at({ to: '2024-03-11T12:00:00Z' })).to.deep.equal(['2024-03-10T12:00:00.000Z']);
      expect(await at({ from: '2025-01-01', to: '2025-12-31' })).to.deep.equal([]);
    });

    it('finds free text in targets and errors, case-insensitively, taking wildcards literally', async () => {
      const target = await page('root@bizosaas.test', 'audit_search', { query: 'xyzzy' });
      expect(target.items.map((i) => i.target)).to.deep.equal(['lead_XYZZY']);
      const percent = await page('root@bizosaas.test', 'audit_search', { query: '100%' });
      expect(percent.items.map((i) => i.error)).to.deep.equal(['Quota 100% used']);
      const wildcard = await page('root@bizosaas.test', 'audit_search', { query: '%' });
      expect(wildcard.total).to.equal(1);
    });

    it('pages through results without overlap', async () => {
      const first = await page('root@bizosaas.test', 'audit_search', { tool: 'history_probe', pageSize: 2 });
      const second = await page('root@bizosaas.test', 'audit_search', {
        tool: 'history_probe',
        pageSize: 2,
        page: 2,
      });
      expect(first).to.include({ total: 3, page: 1, pageSize: 2 });
      expect(first.items).to.have.length(2);
      expect(second).to.include({ total: 3, page: 2 });
      expect(second.items).to.have.length(1);
      expect([...first.items, ...second.items].map((i) => i.at)).to.deep.equal([
        '2024-03-12T00:30:00.000Z',
        '2024-03-11T23:30:00.000Z',
        '2024-03-10T12:00:00.000Z',
      ]);
    });

    it("shows a partner only records of its own and its client tenants' (or its own actions)", async () => {
      const paula = await world.as('paula@brightpath.test');
      const visible = new Set(
        await Promise.all(['brightpath', 'northwind', 'acme'].map((s) => world.tenantId(s))),
      );
      const seen: AuditItem[] = [];
      for (let n = 1; ; n++) {
        const result = (await world.platform.gateway.callTool(paula, 'audit_search', {
          pageSize: 100,
          page: n,
        })) as unknown as AuditPage;
        seen.push(...result.items);
        if (seen.length >= result.total || result.items.length === 0) break;
      }
      expect(seen.length).to.be.greaterThan(0);
      for (const item of seen) {
        const own = item.user?.id === paula.userId || item.impersonator?.id === paula.userId;
        expect(own || visible.has(item.tenantId ?? ''), `${item.tool} in ${item.tenantId}`).to.equal(true);
      }
      expect(seen.some((i) => i.user?.email === 'nina@northwind.test')).to.equal(true);
      const zen = await page('paula@brightpath.test', 'audit_search', { query: 'yuki@zen.test' });
      expect(zen.total).to.equal(0);
      const zenForRoot = await page('root@bizosaas.test', 'audit_search', { query: 'yuki@zen.test' });
      expect(zenForRoot.total).to.be.greaterThan(0);
    });

    it('is refused to a client', async () => {
      const error = await refusalOf(call('nina@northwind.test', 'audit_search', {}));
      expect(error.code).to.equal('forbidden');
    });
  });

  describe('audit_user_timeline', () => {
    before(async () => {
      const bob = await world.userId('bob@northwind.test');
      const northwind = await world.tenantId('northwind');
      const history = {
        via: 'session',
        outcome: 'ok',
        userId: bob,
        userEmail: 'bob@northwind.test',
        tenantId: northwind,
      };
      await appendAudit(world.database.db, [
        { ...history, tool: 'users_update_profile', at: new Date('2024-05-01T10:00:00Z') },
        { ...history, tool: 'users_set_features', at: new Date('2024-05-02T12:00:00Z') },
        { ...history, tool: 'users_update_profile', at: new Date('2024-05-02T23:59:30Z') },
        { ...history, tool: 'users_get', at: new Date('2024-05-03T00:00:30Z') },
      ]);
    });

    it("shows a user's own actions, newest first", async () => {
      await call('bob@northwind.test', 'users_get', { user: 'bob@northwind.test' });
      await call('bob@northwind.test', 'users_update_profile', { jobTitle: 'Bread Lead' });
      await world.platform.audit.flush();
      const bob = await world.userId('bob@northwind.test');
      const result = await page('ops@bizosaas.test', 'audit_user_timeline', { user: 'bob@northwind.test' });
      expect(result.items.every((i) => i.user?.id === bob)).to.equal(true);
      expectNewestFirst(result.items);
      expect(result.items.slice(0, 2).map((i) => i.tool)).to.deep.equal([
        'users_update_profile',
        'users_get',
      ]);
    });

    it('filters by action', async () => {
      const result = await page('ops@bizosaas.test', 'audit_user_timeline', {
        user: 'bob@northwind.test',
        action: 'set_features',
      });
      expect(result.items.map((i) => [i.tool, i.at])).to.deep.equal([
        ['users_set_features', '2024-05-02T12:00:00.000Z'],
      ]);
    });

    it('filters by date, a date-only `to` including that whole day', async () => {
      const at = async (range: Record<string, string>) =>
        (
          await page('ops@bizosaas.test', 'audit_user_timeline', { user: 'bob@northwind.test', ...range })
        ).items.map((i) => i.at);
      expect(await at({ from: '2024-05-02', to: '2024-05-02' })).to.deep.equal([
        '2024-05-02T23:59:30.000Z',
        '2024-05-02T12:00:00.000Z',
      ]);
      expect(await at({ to: '2024-05-01' })).to.deep.equal(['2024-05-01T10:00:00.000Z']);
      expect(await at({ from: '2024-05-01', to: '2024-05-03' })).to.have.length(4);
    });

    it('is refused to a client', async () => {
      const error = await refusalOf(
        call('nina@northwind.test', 'audit_user_timeline', { user: 'nina@northwind.test' }),
      );
      expect(error.code).to.equal('forbidden');
    });

    it("answers a partner asking about another tenant's user as not found", async () => {
      const error = await refusalOf(
        call('paula@brightpath.test', 'audit_user_timeline', { user: 'yuki@zen.test' }),
      );
      expect(error.code).to.equal('not_found');
      const child = await page('paula@brightpath.test', 'audit_user_timeline', {
        user: 'bob@northwind.test',
      });
      expect(child.total).to.be.greaterThan(0);
    });
  });
});
