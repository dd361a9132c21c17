import { PGlite, type Transaction } from '@electric-sql/pglite';
import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../core/db/connection.ts';
import { DEFERRED } from '../../core/db/deferred.ts';
import { createPglite } from '../../core/db/pglite-client.ts';
import { createStatementRunner } from '../../core/db/pglite-statements.ts';
import { withTenantScope } from '../../core/db/tenant-scope.ts';
import { databaseKind } from '../support/database.ts';
import { startWorld, type World } from '../support/world.ts';

// How many times the wrapped PGlite was entered: each call is one round trip into the database.
function countTrips(pg: PGlite): { readonly trips: number; restore(): void } {
  const proto = Object.getPrototypeOf(pg) as { execProtocolStream: PGlite['execProtocolStream'] };
  const original = proto.execProtocolStream;
  let trips = 0;
  proto.execProtocolStream = function (this: PGlite, ...args) {
    trips += 1;
    return original.apply(this, args);
  };
  return {
    get trips() {
      return trips;
    },
    restore: () => {
      proto.execProtocolStream = original;
    },
  };
}

async function failureOf(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

(databaseKind === 'pglite' ? describe : describe.skip)(
  'PGlite statements: prepared once, sent together',
  () => {
    let fast: PGlite;
    let plain: PGlite;
    before(async () => {
      fast = await createPglite('memory://');
      plain = await PGlite.create();
      for (const pg of [fast, plain]) await pg.exec('create table things (id int primary key, label text)');
    });
    after(async () => {
      await fast.close();
      await plain.close();
    });

    it('returns what PGlite’s own query returns, for parameters and results of every common type', async () => {
      const text = `select $1::int as i, $2::text as t, $3::jsonb as j, $4::timestamptz as at, $5::text[] as arr,
                          $6::bool as b, $7::numeric as n, $8::bytea as bin, $9::text as nothing, $10::int8 as big`;
      const params = [
        42,
        'it’s "quoted"',
        { a: [1, 'x'], b: null },
        new Date('2026-12-06T10:00:00.123Z'),
        ['a', 'b,c', 'd"e'],
        true,
        '12.50',
        new Uint8Array([0, 255, 7]),
        null,
        9007199254740993n,
      ];
      for (const rowMode of ['object', 'array'] as const) {
        const ours = await fast.query(text, params, { rowMode });
        const theirs = await plain.query(text, params, { rowMode });
        // Timestamps stay raw text on ours (Drizzle parses them itself); everything else must match.
        const normalise = (rows: unknown[]) =>
          JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)).replace(/"at":"[^"]*"/, '');
        expect(normalise(ours.rows).replace(/,?"2026-12-06[^"]*"/, '')).to.equal(
          normalise(theirs.rows).replace(/,?"2026-12-06[^"]*"/, ''),
        );
        expect(ours.fields).to.deep.equal(theirs.fields);
      }
      const ours = await fast.query<{ at: string }>('select $1::timestamptz as at', [new Date(0)]);
      expect(new Date(ours.rows[0]?.at as string).getTime()).to.equal(0);
    });

    it('reports affected rows and database errors as PGlite does, with the statement named', async () => {
      const inserted = await fast.query('insert into things values ($1, $2), ($3, $4)', [1, 'one', 2, 'two']);
      expect(inserted.affectedRows).to.equal(2);
      const error = (await failureOf(
        fast.query('insert into things values ($1, $2)', [1, 'again']),
      )) as Error & {
        code?: string;
        query?: string;
      };
      expect(error.code).to.equal('23505');
      expect(error.query).to.match(/insert into things/);
      expect((await failureOf(fast.query('select * from nowhere'))).message).to.match(/does not exist/);
      // The connection is usable after an error.
      expect((await fast.query('select count(*)::int as n from things')).rows).to.deep.equal([{ n: 2 }]);
    });

    it('sends BEGIN, deferred statements and the next statement in one round trip', async () => {
      const work = (tx: Transaction, id: number) => async () => {
        await tx.query(`${DEFERRED} select set_config('app.note', $1, true)`, ['hello']);
        await tx.query("select current_setting('app.note') as note");
        await tx.query(`${DEFERRED} insert into things values ($1, $2)`, [id, 'warm-up']);
      };
      // Statements seen for the first time are prepared first (one more trip each); warm them up.
      await fast.transaction((tx) => work(tx, 100)());
      const counter = countTrips(fast);
      try {
        await fast.transaction(async (tx) => {
          await tx.query(`${DEFERRED} select set_config('app.note', $1, true)`, ['hello']);
          const { rows } = await tx.query<{ note: string }>("select current_setting('app.note') as note");
          expect(rows).to.deep.equal([{ note: 'hello' }]);
          expect(counter.trips).to.equal(1);
          await tx.query(`${DEFERRED} insert into things values ($1, $2)`, [3, 'three']);
        });
        // COMMIT carried the deferred insert: two trips in all.
        expect(counter.trips).to.equal(2);
      } finally {
        counter.restore();
      }
      expect((await fast.query('select label from things where id = 3')).rows).to.deep.equal([
        { label: 'three' },
      ]);
    });

    it('rolls the whole transaction back when a deferred statement fails, and says why', async () => {
      const error = (await failureOf(
        fast.transaction(async (tx) => {
          await tx.query('insert into things values ($1, $2)', [10, 'ten']);
          await tx.query(`${DEFERRED} insert into things values ($1, $2)`, [1, 'duplicate']);
        }),
      )) as Error & { code?: string };
      expect(error.code).to.equal('23505');
      expect((await fast.query('select count(*)::int as n from things where id = 10')).rows).to.deep.equal([
        { n: 0 },
      ]);
    });

    it('refuses to commit a transaction whose failed statement was caught, and keeps none of it', async () => {
      const error = await failureOf(
        fast.transaction(async (tx) => {
          await tx.query('insert into things values ($1, $2)', [11, 'eleven']);
          await tx.query('select 1 / 0').catch(() => undefined);
        }),
      );
      expect(error.message).to.match(/rolled back instead of committed/);
      expect((await fast.query('select count(*)::int as n from things where id = 11')).rows).to.deep.equal([
        { n: 0 },
      ]);
    });

    it('sends nothing for a transaction that ran no statement', async () => {
      const counter = countTrips(fast);
      try {
        expect(await fast.transaction(async () => 'done')).to.equal('done');
        expect(counter.trips).to.equal(0);
      } finally {
        counter.restore();
      }
    });

    it('prepares statements again after the schema changes', async () => {
      await fast.exec('create table shapes (a int)');
      await fast.query('insert into shapes values (1)');
      expect((await fast.query('select * from shapes')).fields.map((f) => f.name)).to.deep.equal(['a']);
      await fast.query('alter table shapes add column b int');
      expect((await fast.query('select * from shapes')).fields.map((f) => f.name)).to.deep.equal(['a', 'b']);
      await fast.exec('alter table shapes add column c int');
      expect((await fast.query('select * from shapes')).fields.map((f) => f.name)).to.deep.equal([
        'a',
        'b',
        'c',
      ]);
      // A change rolled back after a statement was prepared against it.
      await failureOf(
        fast.transaction(async (tx) => {
          await tx.query('alter table shapes add column d int');
          expect((await tx.query('select * from shapes')).fields).to.have.length(4);
          throw new Error('undo');
        }),
      );
      expect((await fast.query('select * from shapes')).fields).to.have.length(3);
    });

    it('keeps at most the configured number of statements prepared, closing the least recently used', async () => {
      const pg = await PGlite.create();
      try {
        const runner = createStatementRunner(pg, { maxPrepared: 3 });
        for (let i = 0; i < 10; i++) await runner.run([{ text: `select ${i} as n` }]);
        await runner.run([{ text: 'select 1 as n' }]);
        const [result] = await runner.run([{ text: 'select statement from pg_prepared_statements' }]);
        const statements = ((result?.rows ?? []) as { statement: string }[]).map((r) => r.statement);
        expect(statements).to.include.members(['BEGIN', 'COMMIT', 'ROLLBACK', 'select 1 as n']);
        expect(statements.length).to.equal(6);
      } finally {
        await pg.close();
      }
    });
  },
);

(databaseKind === 'pglite' ? describe : describe.skip)('PGlite statements under row-level security', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  it('applies the policies of whoever runs a prepared statement, whoever prepared it', async () => {
    const db = world.database.db;
    const count = sql`select count(*)::int as n from users`;
    const all = rowsOf<{ n: number }>(await db.execute(count))[0]?.n as number;
    const nina = await world.as('nina@northwind.test');
    // Past the point where Postgres switches to a generic plan, alternating owner and tenant scope.
    for (let i = 0; i < 8; i++) {
      const scoped = await withTenantScope(db, nina, async (tx) =>
        rowsOf<{ n: number }>(await tx.execute(count)),
      );
      const owner = rowsOf<{ n: number }>(await db.execute(count));
      expect(scoped[0]?.n, `round ${i}`).to.be.greaterThan(0).and.lessThan(all);
      expect(owner[0]?.n, `round ${i}`).to.equal(all);
    }
  });
});
