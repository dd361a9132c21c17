import fs from 'node:fs';
import { expect } from 'chai';
import { cleanEnv, killAll, run, startServer, tempDataDir } from '../support/cli.ts';
import { callTool, type OpenAIStub, reply, startOpenAIStub } from '../support/openai-stub.ts';

interface TurnJson {
  reply: string;
  toolCalls: { name: string; args: Record<string, unknown>; ok: boolean; result?: unknown; error?: string }[];
  pendingApprovals: { approvalId: string; name: string; args: Record<string, unknown> }[];
}

/**
 * `bizosaas agent run` as a script would use it, against a local stub of an OpenAI-compatible
 * server (the model is the only thing mocked, at the wire), with and without a running platform.
 */
describe('bizosaas agent run', function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  let stub: OpenAIStub;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    stub = await startOpenAIStub();
    dataDir = tempDataDir(dirs);
    env = cleanEnv(dataDir, { OPENAI_BASE_URL: stub.baseUrl, BIZOSAAS_MODEL: 'llama3.1' });
    const seeded = await run(['seed', '--demo'], env);
    expect(seeded.code, seeded.stderr).to.equal(0);
  });
  after(async () => {
    await killAll();
    await stub.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const turn = async (args: string[]) => {
    const result = await run(['agent', 'run', ...args, '--json'], env);
    expect(result.code, result.stderr).to.equal(0);
    return JSON.parse(result.stdout) as TurnJson;
  };

  it('runs one turn as the user and prints the reply, the tool calls and their results as JSON', async () => {
    stub.script(
      callTool('users_set_role', { user: 'bob@northwind.test', role: 'partner' }),
      reply('Bob Smith is now a partner.'),
    );
    const out = await turn([
      '--user',
      'ops@bizosaas.test',
      '--message',
      'promote bob@northwind.test to partner',
    ]);
    expect(out.reply).to.equal('Bob Smith is now a partner.');
    expect(out.toolCalls).to.have.length(1);
    expect(out.toolCalls[0]).to.deep.include({
      name: 'users_set_role',
      args: { user: 'bob@northwind.test', role: 'partner' },
      ok: true,
    });
    expect(out.pendingApprovals).to.deep.equal([]);
    const system = stub.requests.at(-2)?.body as { messages: { role: string; content: string }[] };
    expect(system.messages[0]?.content).to.contain('You act for: Olivia Ops <ops@bizosaas.test>');
  });

  it('reports refused calls as failed tool calls, and prints plain text without --json', async () => {
    stub.script(
      callTool('users_update_profile', { user: 'carol@acme.test', name: 'X' }),
      reply('I could not change Carol’s profile.'),
    );
    const out = await turn(['--user', 'nina@northwind.test', '--message', 'rename carol']);
    expect(out.toolCalls[0]).to.deep.include({ name: 'users_update_profile', ok: false });
    expect(out.toolCalls[0]?.error).to.match(/No user "carol@acme.test"/);
    stub.script(reply('Hello Nina.'));
    const text = await run(['agent', 'run', '--user', 'nina@northwind.test', '--message', 'hi'], env);
    expect(text.code).to.equal(0);
    expect(text.stdout.trim()).to.equal('Hello Nina.');
  });

  it('leaves destructive calls waiting, and runs them with --approve', async () => {
    stub.script(callTool('users_force_password_reset', { user: 'dave@acme.test' }));
    const waiting = await turn([
      '--user',
      'ops@bizosaas.test',
      '--message',
      'force a password reset for dave@acme.test',
    ]);
    expect(waiting.toolCalls).to.deep.equal([]);
    expect(waiting.pendingApprovals.map((p) => [p.name, p.args])).to.deep.equal([
      ['users_force_password_reset', { user: 'dave@acme.test' }],
    ]);

    stub.script(
      callTool('users_force_password_reset', { user: 'dave@acme.test' }),
      reply('Dave must choose a new password.'),
    );
    const approved = await turn([
      '--user',
      'ops@bizosaas.test',
      '--message',
      'force a password reset for dave@acme.test',
      '--approve',
    ]);
    expect(approved.toolCalls.map((c) => [c.name, c.ok])).to.deep.equal([
      ['users_force_password_reset', true],
    ]);
    expect(approved.reply).to.equal('Dave must choose a new password.');
  });

  it('goes through the running server when there is one', async () => {
    const server = await startServer(env);
    try {
      stub.script(
        callTool('users_get', { user: 'yuki@zen.test' }),
        reply('Yuki Tanaka runs Zen Yoga Studio.'),
      );
      const out = await turn(['--user', 'ops@bizosaas.test', '--message', 'who is yuki@zen.test?']);
      expect(out.reply).to.equal('Yuki Tanaka runs Zen Yoga Studio.');
      expect(out.toolCalls[0]).to.deep.include({ name: 'users_get', ok: true });
    } finally {
      await server.stop();
    }
  });

  it('refuses bad usage and unknown users with a message, not a stack trace', async () => {
    const missing = await run(['agent', 'run', '--user', 'ops@bizosaas.test'], env);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/needs --user and --message/);
    const unknown = await run(['agent', 'run', '--user', 'ghost@nowhere.test', '--message', 'hi'], env);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.match(/No active user with the email ghost@nowhere.test/);
    expect(unknown.stderr).to.not.match(/^\s+at /m);
  });
});
