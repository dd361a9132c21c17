import { expect } from 'chai';
import { memories } from '../../../servers/memory/schema.ts';
import { refusalOf } from '../../support/refusal.ts';
import { startWorld, type World } from '../../support/world.ts';

describe('memory tools', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());
  const call: World['call'] = (email, tool, args) => world.call(email, tool, args);

  it('saves, lists and forgets a person’s facts, keeping a repeated fact once', async () => {
    const saved = (await call('nina@northwind.test', 'memory_save', {
      fact: 'Our busiest day is Saturday',
    })) as { memory: { id: string } };
    const again = await call('nina@northwind.test', 'memory_save', { fact: 'Our busiest day is Saturday' });
    expect(again).to.deep.include({ alreadyKnown: true });
    const list = (await call('nina@northwind.test', 'memory_list')) as { memories: { text: string }[] };
    expect(list.memories.map((m) => m.text)).to.deep.equal(['Our busiest day is Saturday']);
    await call('nina@northwind.test', 'memory_forget', { memory: saved.memory.id });
    expect(
      ((await call('nina@northwind.test', 'memory_list')) as { memories: unknown[] }).memories,
    ).to.deep.equal([]);
  });

  it('keeps memories private: not the same tenant’s colleague, not an admin, not by id', async () => {
    const saved = (await call('carol@acme.test', 'memory_save', { fact: 'Prefers short answers' })) as {
      memory: { id: string };
    };
    for (const email of ['dave@acme.test', 'ops@bizosaas.test', 'root@bizosaas.test']) {
      const list = (await call(email, 'memory_list')) as { memories: { text: string }[] };
      expect(
        list.memories.map((m) => m.text),
        email,
      ).to.not.include('Prefers short answers');
      const error = await refusalOf(call(email, 'memory_forget', { memory: saved.memory.id }));
      expect(error.code, email).to.be.oneOf(['not_found', 'forbidden']);
    }
    const rows = await world.database.db.select().from(memories);
    expect(rows.some((m) => m.id === saved.memory.id)).to.equal(true);
  });

  it('refuses people without AI access, and bad input, writing nothing', async () => {
    await call('ops@bizosaas.test', 'users_set_features', { user: 'yuki@zen.test', features: { ai: false } });
    const off = await refusalOf(call('yuki@zen.test', 'memory_save', { fact: 'x y z' }));
    expect(off.code).to.equal('forbidden');
    expect(off.message).to.match(/ai feature/);
    for (const args of [
      {},
      { fact: 'x' },
      { fact: 'a'.repeat(501) },
      { fact: 'ok fact', extra: 1 },
      { fact: 42 },
    ]) {
      const error = await refusalOf(call('bob@northwind.test', 'memory_save', args));
      expect(error.code, JSON.stringify(args)).to.equal('bad_request');
    }
    const bad = await refusalOf(call('bob@northwind.test', 'memory_forget', { memory: 'nope' }));
    expect(bad.message).to.contain('memory');
    const rows = await world.database.db.select().from(memories);
    expect(rows.filter((m) => m.userId === undefined || m.text === 'x y z')).to.deep.equal([]);
  });
});
