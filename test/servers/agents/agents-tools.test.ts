import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { agentDefinitions } from '../../../servers/agents/schema.ts';
import { refusalOf } from '../../support/refusal.ts';
import { scriptedModel } from '../../support/scripted-model.ts';
import { startWorld, type World } from '../../support/world.ts';

describe('agents tools: definitions, settings, usage', () => {
  let world: World;
  const script = scriptedModel([{ text: 'Hello!' }]);
  before(async () => {
    world = await startWorld({}, { model: script.model });
  });
  after(() => world.close());
  const call: World['call'] = (email, tool, args) => world.call(email, tool, args);

  it('lists the built-in agents, and a tenant’s own agent overrides or extends them for that tenant only', async () => {
    const builtIn = (await call('nina@northwind.test', 'agents_list')) as {
      agents: { name: string; builtIn: boolean }[];
    };
    expect(builtIn.agents.map((a) => a.name)).to.include.members(['assistant', 'admin']);
    await call('paula@brightpath.test', 'agents_save', {
      name: 'concierge',
      title: 'Concierge',
      instructions: 'Welcome new clients warmly and briefly.',
      allowedTools: ['users_list', 'memory_*'],
    });
    const paulas = (await call('paula@brightpath.test', 'agents_get', { agent: 'concierge' })) as {
      agent: { allowedTools: string[] };
    };
    expect(paulas.agent.allowedTools).to.deep.equal(['users_list', 'memory_*']);
    const other = await refusalOf(call('ops@bizosaas.test', 'agents_get', { agent: 'concierge' }));
    expect(other.code).to.equal('not_found');
    const deleted = await call('paula@brightpath.test', 'agents_delete', { agent: 'concierge' });
    expect(deleted).to.deep.include({ deleted: 'concierge' });
  });

  it('runs a tenant agent with only the tools it allows', async () => {
    await call('ops@bizosaas.test', 'agents_save', {
      name: 'reader',
      title: 'Reader',
      instructions: 'Only look things up; change nothing.',
      allowedTools: ['users_list', 'users_get'],
    });
    const turn = await world.platform.agents.runTurn(await world.as('ops@bizosaas.test'), 'hello', {
      agent: 'reader',
    });
    expect(turn.reply).to.equal('Hello!');
    const offered = (script.calls.at(-1)?.tools ?? []).map((t) => t.name).sort();
    expect(offered).to.deep.equal(['users_get', 'users_list']);
    const usage = (await call('ops@bizosaas.test', 'agents_usage')) as {
      total: { runs: number; inputTokens: number };
    };
    expect(usage.total.runs).to.equal(1);
    expect(usage.total.inputTokens).to.be.greaterThan(0);
  });

  it('refuses clients and sub-admins managing agents, bad definitions, and writes nothing', async () => {
    const args = {
      name: 'sneaky',
      title: 'S',
      instructions: 'Do all the things please.',
      allowedTools: ['*'],
    };
    for (const email of ['nina@northwind.test', 'support@bizosaas.test']) {
      expect((await refusalOf(call(email, 'agents_save', args))).code, email).to.equal('forbidden');
    }
    for (const bad of [
      { ...args, name: 'Bad Name' },
      { ...args, allowedTools: [] },
      { ...args, allowedTools: ['users_;drop'] },
      { ...args, instructions: 'short' },
      { ...args, extra: true },
    ]) {
      expect(
        (await refusalOf(call('ops@bizosaas.test', 'agents_save', bad))).code,
        JSON.stringify(bad),
      ).to.equal('bad_request');
    }
    expect(
      await world.database.db.select().from(agentDefinitions).where(eq(agentDefinitions.name, 'sneaky')),
    ).to.deep.equal([]);
    expect(
      (await refusalOf(call('ops@bizosaas.test', 'agents_delete', { agent: 'assistant' }))).code,
    ).to.equal('bad_request');
    expect((await refusalOf(call('nina@northwind.test', 'agents_usage'))).code).to.equal('forbidden');
  });

  it('keeps each person’s approval setting to themselves', async () => {
    await call('carol@acme.test', 'agents_set_settings', { approveWrites: true });
    expect(await call('carol@acme.test', 'agents_get_settings')).to.deep.equal({
      settings: { approveWrites: true },
    });
    expect(await call('dave@acme.test', 'agents_get_settings')).to.deep.equal({
      settings: { approveWrites: false },
    });
    expect(
      (await refusalOf(call('carol@acme.test', 'agents_set_settings', { approveWrites: 'yes' }))).code,
    ).to.equal('bad_request');
  });
});
