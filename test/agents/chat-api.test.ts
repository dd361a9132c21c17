import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../core/audit/schema.ts';
import { sessions, users } from '../../servers/users/schema.ts';
import { sendChat, userMessage } from '../support/chat.ts';
import { httpClient } from '../support/http.ts';
import { scriptedModel } from '../support/scripted-model.ts';
import { DEMO_PASSWORD, startWorld } from '../support/world.ts';

async function signedIn(url: string, email: string) {
  const http = httpClient(url);
  await http.login(email, DEMO_PASSWORD);
  return http;
}

describe('POST /api/chat', () => {
  it('streams a multi-step turn — tool call, result, text — and keeps the conversation', async () => {
    const script = scriptedModel([
      { tools: [{ name: 'users_set_role', args: { user: 'bob@northwind.test', role: 'partner' } }] },
      { text: 'Done: Bob Smith is now a partner.' },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      const http = await signedIn(world.url, 'ops@bizosaas.test');
      const turn = await sendChat(http, {
        id: 'chat-1',
        messages: [userMessage('u1', 'promote bob@northwind.test to partner')],
        agent: 'admin',
      });
      expect(turn.status).to.equal(200);
      const tool = turn.message?.parts.find((p) => p.type === 'tool-users_set_role') as {
        state: string;
        input: unknown;
        output: { user: { role: string } };
      };
      expect(tool.state).to.equal('output-available');
      expect(tool.input).to.deep.equal({ user: 'bob@northwind.test', role: 'partner' });
      expect(tool.output.user.role).to.equal('partner');
      expect(turn.chunks.filter((c) => c.type === 'text-delta').length).to.be.greaterThan(1);
      const text = turn.message?.parts
        .filter((p) => p.type === 'text')
        .map((p) => (p as { text: string }).text)
        .join('');
      expect(text).to.equal('Done: Bob Smith is now a partner.');
      const [bob] = await world.database.db.select().from(users).where(eq(users.email, 'bob@northwind.test'));
      expect(bob?.role).to.equal('partner');
      // The model saw who it acts for, the admin agent's instructions, and only the admin agent's tools.
      const system = script.calls[0]?.prompt.find((m) => m.role === 'system')?.content as string;
      expect(system)
        .to.contain('You act for: Olivia Ops <ops@bizosaas.test>')
        .and.contain('platform admin assistant');
      const offered = (script.calls[0]?.tools ?? []).map((t) => t.name);
      expect(offered).to.include('users_set_role').and.not.include('agents_save');

      const list = await http.get('/api/conversations');
      expect(list.json.items.map((c: { id: string; title: string }) => [c.id, c.title])).to.deep.equal([
        ['chat-1', 'promote bob@northwind.test to partner'],
      ]);
      const convo = await http.get('/api/conversations/chat-1');
      expect(convo.json.conversation.messages.map((m: { role: string }) => m.role)).to.deep.equal([
        'user',
        'assistant',
      ]);
    } finally {
      await world.close();
    }
  });

  it('keeps history across turns: the second turn’s prompt includes the first', async () => {
    const script = scriptedModel([{ text: 'Noted.' }, { text: 'You said hello.' }]);
    const world = await startWorld({}, { model: script.model });
    try {
      const http = await signedIn(world.url, 'nina@northwind.test');
      await sendChat(http, { id: 'chat-h', messages: [userMessage('u1', 'hello there')] });
      await sendChat(http, { id: 'chat-h', messages: [userMessage('u2', 'what did I say?')] });
      const prompt = JSON.stringify(script.calls[1]?.prompt);
      expect(prompt).to.contain('hello there').and.contain('Noted.').and.contain('what did I say?');
      // Another user cannot read or continue it.
      const bob = await signedIn(world.url, 'bob@northwind.test');
      expect((await bob.get('/api/conversations/chat-h')).status).to.equal(404);
      expect((await bob.get('/api/conversations')).json.items).to.deep.equal([]);
    } finally {
      await world.close();
    }
  });

  it('pauses a destructive call for approval, runs it once approved, and audits the decision', async () => {
    const script = scriptedModel([
      { tools: [{ name: 'users_revoke_sessions', args: { user: 'carol@acme.test' } }] },
      { text: 'Carol is signed out everywhere.' },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      const carol = await signedIn(world.url, 'carol@acme.test');
      const http = await signedIn(world.url, 'ops@bizosaas.test');
      const first = await sendChat(http, {
        id: 'chat-a',
        messages: [userMessage('u1', 'revoke all sessions for carol@acme.test')],
      });
      const part = first.message?.parts.find((p) => p.type === 'tool-users_revoke_sessions') as {
        state: string;
        approval: { id: string };
      };
      expect(part.state).to.equal('approval-requested');
      expect((await carol.get('/api/me')).status).to.equal(200);

      const answered = structuredClone(first.message) as NonNullable<typeof first.message>;
      const answer = answered.parts.find((p) => p.type === 'tool-users_revoke_sessions') as unknown as Record<
        string,
        unknown
      >;
      answer.state = 'approval-responded';
      answer.approval = { ...(answer.approval as object), approved: true };
      const second = await sendChat(http, {
        id: 'chat-a',
        messages: [userMessage('u1', 'revoke all sessions for carol@acme.test'), answered],
      });
      expect(second.status).to.equal(200);
      expect((await carol.get('/api/me')).status).to.equal(401);
      const carolId = await world.userId('carol@acme.test');
      const live = await world.database.db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, carolId)));
      expect(live.every((s) => s.revokedAt)).to.equal(true);
      await world.platform.audit.flush();
      const decisions = await world.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.tool, 'agent_approval'));
      expect(decisions.map((d) => [d.outcome, d.target])).to.deep.equal([
        ['approved', 'users_revoke_sessions'],
      ]);
    } finally {
      await world.close();
    }
  });

  it('runs nothing when the person rejects, and records the rejection', async () => {
    const script = scriptedModel([
      { tools: [{ name: 'users_revoke_sessions', args: { user: 'dave@acme.test' } }] },
      { text: 'Understood, nothing was changed.' },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      const dave = await signedIn(world.url, 'dave@acme.test');
      const http = await signedIn(world.url, 'ops@bizosaas.test');
      const first = await sendChat(http, { id: 'chat-r', messages: [userMessage('u1', 'sign dave out')] });
      const answered = structuredClone(first.message) as NonNullable<typeof first.message>;
      const answer = answered.parts.find((p) => p.type === 'tool-users_revoke_sessions') as unknown as Record<
        string,
        unknown
      >;
      answer.state = 'approval-responded';
      answer.approval = { ...(answer.approval as object), approved: false, reason: 'not now' };
      await sendChat(http, { id: 'chat-r', messages: [answered] });
      expect((await dave.get('/api/me')).status).to.equal(200);
      await world.platform.audit.flush();
      const decisions = await world.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.tool, 'agent_approval'));
      expect(decisions.map((d) => d.outcome)).to.deep.equal(['rejected']);
    } finally {
      await world.close();
    }
  });

  it('keeps RBAC inside the agent: a client’s agent cannot call an admin tool the model asks for', async () => {
    const script = scriptedModel([
      { tools: [{ name: 'users_set_role', args: { user: 'nina@northwind.test', role: 'admin' } }] },
      { text: 'I could not do that.' },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      const http = await signedIn(world.url, 'nina@northwind.test');
      const turn = await sendChat(http, { messages: [userMessage('u1', 'promote me to admin')] });
      expect(turn.status).to.equal(200);
      expect((script.calls[0]?.tools ?? []).map((t) => t.name)).to.not.include('users_set_role');
      const [nina] = await world.database.db
        .select()
        .from(users)
        .where(eq(users.email, 'nina@northwind.test'));
      expect(nina?.role).to.equal('client');
      expect(turn.conversationId).to.match(/^cnv_/);
    } finally {
      await world.close();
    }
  });

  it('refuses a person whose AI access is off, and bad bodies, with clear errors', async () => {
    const world = await startWorld({}, { model: scriptedModel([]).model });
    try {
      await world.platform.gateway.callTool(await world.as('ops@bizosaas.test'), 'users_set_features', {
        user: 'dave@acme.test',
        features: { ai: false },
      });
      const dave = await signedIn(world.url, 'dave@acme.test');
      const off = await sendChat(dave, { messages: [userMessage('u1', 'hi')] });
      expect(off.status).to.equal(403);
      expect(off.json.error.message).to.match(/AI access is turned off/);
      const nina = await signedIn(world.url, 'nina@northwind.test');
      expect((await nina.post('/api/chat', { messages: [] })).status).to.equal(400);
      expect((await nina.post('/api/chat', { messages: [{ role: 'nobody' }] })).status).to.equal(400);
      expect(
        (await nina.post('/api/chat', { id: '../../etc', messages: [userMessage('u', 'x')] })).status,
      ).to.equal(400);
      expect(
        (await nina.post('/api/chat', { agent: 'ghost', messages: [userMessage('u', 'x')] })).status,
      ).to.equal(404);
      expect(
        (await httpClient(world.url).post('/api/chat', { messages: [userMessage('u', 'x')] })).status,
      ).to.equal(401);
    } finally {
      await world.close();
    }
  });

  it('tells a later conversation what the person asked to remember', async () => {
    const script = scriptedModel([
      { tools: [{ name: 'memory_save', args: { fact: 'Bob bakes on Saturdays' } }] },
      { text: 'I will remember.' },
      { text: 'Sure.' },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      const http = await signedIn(world.url, 'nina@northwind.test');
      await sendChat(http, {
        id: 'first',
        messages: [userMessage('u1', 'remember that Bob bakes on Saturdays')],
      });
      await sendChat(http, { id: 'second', messages: [userMessage('u1', 'who bakes this weekend?')] });
      const system = script.calls.at(-1)?.prompt.find((m) => m.role === 'system')?.content as string;
      expect(system).to.contain('Things they asked you to remember:').and.contain('- Bob bakes on Saturdays');
      expect(JSON.stringify(script.calls.at(-1)?.prompt)).to.not.contain('remember that Bob');
    } finally {
      await world.close();
    }
  });

  it('asks before every write when the person’s setting says so', async () => {
    const script = scriptedModel([
      { tools: [{ name: 'users_update_profile', args: { jobTitle: 'Head Baker' } }] },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      await world.platform.gateway.callTool(await world.as('bob@northwind.test'), 'agents_set_settings', {
        approveWrites: true,
      });
      const http = await signedIn(world.url, 'bob@northwind.test');
      const turn = await sendChat(http, { messages: [userMessage('u1', 'make me head baker')] });
      const part = turn.message?.parts.find((p) => p.type === 'tool-users_update_profile') as {
        state: string;
      };
      expect(part.state).to.equal('approval-requested');
      const [bob] = await world.database.db.select().from(users).where(eq(users.email, 'bob@northwind.test'));
      expect(bob?.jobTitle).to.equal('Baker');
    } finally {
      await world.close();
    }
  });
});
