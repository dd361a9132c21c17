import { PGlite } from '@electric-sql/pglite';

const db = new PGlite();
const t0 = performance.now();
await db.query('select 1');
console.log('init ms', performance.now() - t0);
await db.exec(`create role app nologin; create table t(id int, tenant_id text); alter table t enable row level security;
create policy p on t using (current_setting('app.scope', true) = '*' or tenant_id = any(string_to_array(current_setting('app.scope', true), ',')));
grant select, insert, update, delete on t to app; insert into t values (1,'a'),(2,'b');`);
await db.transaction(async (tx) => {
  await tx.query(`select set_config('role','app',true), set_config('app.scope','a',true)`);
  console.log((await tx.query('select * from t')).rows, (await tx.query('select current_user')).rows);
});
console.log((await db.query('select count(*) from t')).rows, (await db.query('select current_user')).rows);
const n = 2000;
let s = performance.now();
for (let i = 0; i < n; i++) await db.query('select * from t where id=$1', [1]);
console.log('query us', ((performance.now() - s) / n) * 1000);
s = performance.now();
for (let i = 0; i < n; i++)
  await db.transaction(async (tx) => {
    await tx.query(`select set_config('role','app',true), set_config('app.scope','a',true)`);
    await tx.query('select * from t where id=$1', [1]);
  });
console.log('tx us', ((performance.now() - s) / n) * 1000);
s = performance.now();
const db2 = new PGlite();
await db2.query('select 1');
console.log('second init ms', performance.now() - s);
s = performance.now();
const dump = await db.dumpDataDir('none');
console.log('dump ms', performance.now() - s, dump.size);
s = performance.now();
const db3 = new PGlite({ loadDataDir: dump });
await db3.query('select 1');
console.log('load init ms', performance.now() - s, (await db3.query('select count(*) from t')).rows);
