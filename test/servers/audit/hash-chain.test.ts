import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { appendAudit, appendAuditBatch } from '../../../core/audit/record.ts';
import { rowsOf } from '../../../core/db/connection.ts';
import { refusalOf } from '../../support/refusal.ts';
import { startWorld, type World } from '../../support/world.ts';

interface Verdict {
  ok: boolean;
  checked: number;
  headSeq: number;
  firstBroken: { seq: number; id: string | null; problem: string } | null;
}

describe('audit hash chain', () => {
  let world: World;
  const verify = async () =>
    (await world.platform.gateway.callTool(
      await world.as('root@bizosaas.test'),
      'audit_verify_chain',
      {},
    )) as unknown as Verdict;
  // Tampering needs the owner to switch the append-only trigger off on purpose, as an attacker with database access would.
  const tamper = (statement: ReturnType<typeof sql>) =>
    world.database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
      await tx.execute(statement);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
    });

  beforeEach(async () => {
    world = await startWorld();
    const ops = await world.as('ops@bizosaas.test');
    for (const title of ['Head Baker', 'Baker', 'Master Baker']) {
      await world.platform.gateway.callTool(ops, 'users_update_profile', {
        user: 'bob@northwind.test',
        jobTitle: title,
      });
    }
    await world.platform.gateway.callTool(ops, 'users_list', {});
    await world.platform.audit.flush();
  });
  afterEach(() => world.close());

  it('links every record to the one before it, numbered without gaps', async () => {
    const rows = rowsOf<{ seq: number; prev_hash: string | null; hash: string }>(
      await world.database.db.execute(sql`select seq, prev_hash, hash from audit_log order by seq`),
    );
    expect(rows.length).to.be.greaterThan(3);
    rows.forEach((row, i) => {
      expect(Number(row.seq)).to.equal(i + 1);
      expect(row.hash).to.match(/^[0-9a-f]{64}$/);
      expect(row.prev_hash).to.equal(i === 0 ? null : rows[i - 1]?.hash);
    });
    const verdict = await verify();
    expect(verdict).to.include({ ok: true, firstBroken: null });
    expect(verdict.checked).to.equal(rows.length);
  });

  it('chains records written many to a statement and several statements to a transaction, without those rolled back', async () => {
    const entry = (tool: string) => ({ via: 'test', tool, outcome: 'ok', userId: null });
    await world.database.db.transaction(async (tx) => {
      await appendAuditBatch(
        tx,
        Array.from({ length: 40 }, (_, i) => entry(`batch_${i}`)),
      );
      await appendAudit(tx, [entry('single_a'), entry('single_b')]);
      await tx
        .transaction(async (inner) => {
          await appendAudit(inner, entry('rolled_back'));
          throw new Error('undo');
        })
        .catch(() => undefined);
      await appendAudit(tx, entry('after_rollback'), { deferred: true });
    });
    await appendAuditBatch(world.database.db, [entry('next_a'), entry('next_b')]);
    const rows = rowsOf<{ seq: number; tool: string }>(
      await world.database.db.execute(sql`select seq, tool from audit_log order by seq`),
    );
    expect(rows.map((r) => r.tool)).to.not.include('rolled_back');
    expect(rows.map((r) => r.tool).slice(-5)).to.deep.equal([
      'single_a',
      'single_b',
      'after_rollback',
      'next_a',
      'next_b',
    ]);
    const verdict = await verify();
    expect(verdict).to.include({ ok: true, firstBroken: null });
    expect(verdict.headSeq).to.equal(Number(rows[rows.length - 1]?.seq));
    expect(verdict.checked).to.equal(rows.length);
  });

  it('finds a record altered in place and names it as the first broken link', async () => {
    const [victim] = rowsOf<{ seq: number; id: string }>(
      await world.database.db.execute(
        sql`select seq, id from audit_log where tool = 'users_update_profile' order by seq limit 1 offset 1`,
      ),
    );
    await tamper(sql`update audit_log set outcome = 'forbidden' where id = ${victim?.id}`);
    const verdict = await verify();
    expect(verdict.ok).to.equal(false);
    expect(verdict.firstBroken).to.include({ seq: Number(victim?.seq), id: victim?.id });
    expect(verdict.firstBroken?.problem).to.match(/altered/);
  });

  it('finds a record deleted from the middle, and records deleted from the end', async () => {
    await tamper(sql`delete from audit_log where seq = 2`);
    let verdict = await verify();
    expect(verdict.ok).to.equal(false);
    expect(verdict.firstBroken?.seq).to.equal(2);
    expect(verdict.firstBroken?.problem).to.match(/missing/);

    await world.close();
    world = await startWorld();
    await world.platform.gateway.callTool(await world.as('ops@bizosaas.test'), 'users_update_profile', {
      jobTitle: 'Ops',
    });
    await tamper(sql`delete from audit_log where seq = (select max(seq) from audit_log)`);
    verdict = await verify();
    expect(verdict.ok).to.equal(false);
    expect(verdict.firstBroken?.problem).to.match(/missing \(deleted from the end\)/);
  });

  it('refuses updates and deletes of audit records even by the database owner', async () => {
    for (const statement of [
      sql`update audit_log set outcome = 'ok'`,
      sql`delete from audit_log`,
      sql`truncate audit_log`,
    ]) {
      let refused: unknown;
      try {
        await world.database.db.execute(statement);
      } catch (error) {
        refused = error;
      }
      expect(String((refused as { cause?: unknown })?.cause ?? refused)).to.match(/append-only/);
    }
    expect((await verify()).ok).to.equal(true);
  });

  it('is verified only by platform admins', async () => {
    for (const email of ['support@bizosaas.test', 'paula@brightpath.test', 'nina@northwind.test']) {
      const error = await refusalOf(
        world.platform.gateway.callTool(await world.as(email), 'audit_verify_chain', {}),
      );
      expect(error.code, email).to.equal('forbidden');
    }
    const bad = await refusalOf(
      world.platform.gateway.callTool(await world.as('ops@bizosaas.test'), 'audit_verify_chain', { from: 1 }),
    );
    expect(bad.code).to.equal('bad_request');
    const ops = await world.platform.gateway.callTool(
      await world.as('ops@bizosaas.test'),
      'audit_verify_chain',
      {},
    );
    expect(ops).to.include({ ok: true });
  });
});
