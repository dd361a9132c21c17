import type {
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import { APICallError, generateText, NoSuchToolError, stepCountIs, streamText, type ToolSet } from 'ai';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import { expect } from 'chai';
import { and, asc, eq, gt, isNull, max } from 'drizzle-orm';
import { principalContext } from '../../agents/context.ts';
import { gatewayToolSet } from '../../agents/gateway-tools.ts';
import { OFFLINE_MODEL_ID, resolveModel } from '../../agents/models/provider.ts';
import { auditLog } from '../../core/audit/schema.ts';
import { loadConfig } from '../../core/config.ts';
import type { Principal } from '../../gateway/principal.ts';
import { sessions, users } from '../../servers/users/schema.ts';
import { httpClient } from '../support/http.ts';
import {
  callTool,
  fail,
  type OpenAIStub,
  type RecordedRequest,
  reply,
  startOpenAIStub,
} from '../support/openai-stub.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../support/world.ts';

const OPS = 'ops@bizosaas.test';
const NINA = 'nina@northwind.test';
const BOB = 'bob@northwind.test';
const PROMOTE = `promote ${BOB} to partner`;
const APIS = ['chat', 'responses'] as const;
type Api = (typeof APIS)[number];
const PATH: Record<Api, string> = { chat: '/v1/chat/completions', responses: '/v1/responses' };

// ---- What a request carried, whatever its wire format ---------------------------------------------

/** The tools a request offered the model: name → JSON schema of the arguments. */
function offeredTools(request: RecordedRequest): Map<string, Record<string, unknown>> {
  if (request.api === 'chat') {
    return new Map((request.body.tools ?? []).map((t) => [t.function.name, t.function.parameters]));
  }
  return new Map((request.body.tools ?? []).map((t) => [t.name, t.parameters]));
}

function systemPrompt(request: RecordedRequest): string {
  const found =
    request.api === 'chat'
      ? request.body.messages.find((m) => m.role === 'system')?.content
      : request.body.input.find((i) => i.role === 'system')?.content;
  return typeof found === 'string' ? found : '';
}

/** The tool calls of the previous turn a request replays to the model. */
function replayedCalls(request: RecordedRequest): { id: string; name: string; args: unknown }[] {
  if (request.api === 'chat') {
    return request.body.messages
      .flatMap((m) => m.tool_calls ?? [])
      .map((c) => ({ id: c.id, name: c.function.name, args: JSON.parse(c.function.arguments) }));
  }
  return request.body.input
    .filter((i) => i.type === 'function_call')
    .map((i) => ({ id: i.call_id ?? '', name: i.name ?? '', args: JSON.parse(i.arguments ?? 'null') }));
}

/** The tool results a request sends back: `tool` messages, or `function_call_output` items. */
function toolResults(request: RecordedRequest): { callId: string; output: string }[] {
  if (request.api === 'chat') {
    return request.body.messages
      .filter((m) => m.role === 'tool')
      .map((m) => ({ callId: m.tool_call_id ?? '', output: String(m.content) }));
  }
  return request.body.input
    .filter((i) => i.type === 'function_call_output')
    .map((i) => ({ callId: i.call_id ?? '', output: String(i.output) }));
}

// ---- Mock-model turns (LanguageModelV3, no HTTP) ----------------------------------------------------

function usage(input: number, output: number): LanguageModelV3Usage {
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: undefined },
    outputTokens: { total: output, text: output, reasoning: 0 },
  };
}

function generatedToolCall(name: string, args: unknown, id = 'call_mock_1'): LanguageModelV3GenerateResult {
  return {
    content: [{ type: 'tool-call', toolCallId: id, toolName: name, input: JSON.stringify(args) }],
    finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
    usage: usage(100, 20),
    warnings: [],
  };
}

function generatedText(text: string): LanguageModelV3GenerateResult {
  return {
    content: [{ type: 'text', text }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: usage(150, 10),
    warnings: [],
  };
}

function streamed(parts: LanguageModelV3StreamPart[]): LanguageModelV3StreamResult {
  const start: LanguageModelV3StreamPart = { type: 'stream-start', warnings: [] };
  return { stream: simulateReadableStream({ chunks: [start, ...parts] }) };
}

function streamedToolCall(name: string, args: unknown, id = 'call_mock_1') {
  return streamed([
    { type: 'tool-call', toolCallId: id, toolName: name, input: JSON.stringify(args) },
    { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usage(100, 20) },
  ]);
}

function streamedText(pieces: string[]) {
  return streamed([
    { type: 'text-start', id: 't1' },
    ...pieces.map((delta): LanguageModelV3StreamPart => ({ type: 'text-delta', id: 't1', delta })),
    { type: 'text-end', id: 't1' },
    { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(150, 10) },
  ]);
}

describe('agent models', () => {
  let world: World;
  let stub: OpenAIStub;

  before(async () => {
    world = await startWorld();
    // A short pause between streamed events, so pieces also arrive in separate network reads.
    stub = await startOpenAIStub({ eventDelayMs: 2 });
  });
  after(async () => {
    await stub.close();
    await world.close();
  });
  beforeEach(async () => {
    stub.reset();
    // Every scenario starts with Bob a client (the loops below promote him).
    if ((await roleOf(BOB)) !== 'client') {
      await world.platform.gateway.callTool(await world.as('root@bizosaas.test'), 'users_set_role', {
        user: BOB,
        role: 'client',
      });
    }
  });

  async function roleOf(email: string): Promise<string | undefined> {
    const [row] = await world.database.db
      .select({ role: users.role })
      .from(users)
      .where(eq(users.email, email));
    return row?.role;
  }

  /** The newest audit sequence number, after the batcher has written what it holds. */
  async function auditMark(): Promise<number> {
    await world.platform.audit.flush();
    const [row] = await world.database.db.select({ seq: max(auditLog.seq) }).from(auditLog);
    return Number(row?.seq ?? 0);
  }

  async function auditSince(seq: number) {
    await world.platform.audit.flush();
    return world.database.db.select().from(auditLog).where(gt(auditLog.seq, seq)).orderBy(asc(auditLog.seq));
  }

  /** What an agent acting for this person gets: its system prompt and the person's tools. */
  async function agentFor(
    email: string,
    approveWrites = false,
  ): Promise<{ principal: Principal; system: string; tools: ToolSet }> {
    const principal = await world.as(email);
    return {
      principal,
      system: principalContext(principal, new Date(), []),
      tools: gatewayToolSet(world.platform.gateway, principal, { allow: ['users_*'], approveWrites }),
    };
  }

  /** The model configured for the stub: Chat Completions by base URL, or the Responses API. */
  function wireModel(api: Api, env: Record<string, string> = {}) {
    return resolveModel(
      loadConfig({
        OPENAI_BASE_URL: stub.baseUrl,
        BIZOSAAS_MODEL: 'llama3.1',
        ...(api === 'responses' ? { BIZOSAAS_MODEL_API: 'responses' } : {}),
        ...env,
      }),
    );
  }

  async function expectBobPromotedByOps(since: number) {
    expect(await roleOf(BOB)).to.equal('partner');
    const writes = (await auditSince(since)).filter((r) => r.tool === 'users_set_role');
    expect(writes).to.have.length(1);
    expect(writes[0]).to.include({ userEmail: OPS, outcome: 'ok', target: await world.userId(BOB) });
    expect(writes[0]?.args).to.include({ user: BOB, role: 'partner' });
  }

  describe('resolveModel', () => {
    it('is the offline command model when neither an API key nor a base URL is configured', function () {
      let resolved: ReturnType<typeof resolveModel>;
      try {
        resolved = resolveModel(loadConfig({}));
      } catch (error) {
        // Pending while the offline model (issue 4, item 3) is still the placeholder that throws.
        if (String(error).includes('not built yet')) this.skip();
        throw error;
      }
      expect(resolved.label).to.equal(OFFLINE_MODEL_ID).and.to.equal('bizosaas-offline');
      expect(resolved.model.specificationVersion).to.equal('v3');
    });

    it('speaks Chat Completions to an OpenAI-compatible server given by its base URL', async () => {
      const { model, label } = resolveModel(
        loadConfig({ OPENAI_BASE_URL: stub.baseUrl, BIZOSAAS_MODEL: 'llama3.1' }),
      );
      expect(label).to.equal('openai-compatible:llama3.1');
      expect(model.provider).to.equal('openai.chat');
      stub.script(reply('Hello from llama.'));
      const result = await generateText({ model, prompt: 'hi', maxRetries: 0 });
      expect(result.text).to.equal('Hello from llama.');
      expect(stub.requests).to.have.length(1);
      const [request] = stub.requests;
      expect(request?.path).to.equal('/v1/chat/completions');
      expect(request?.body.model).to.equal('llama3.1');
      // Local servers ignore the key, but the provider insists on sending one.
      expect(request?.headers.authorization).to.equal('Bearer not-needed');
    });

    it('sends the configured API key to the server', async () => {
      const { model } = resolveModel(
        loadConfig({ OPENAI_BASE_URL: stub.baseUrl, OPENAI_API_KEY: 'sk-test-123', BIZOSAAS_MODEL: 'x' }),
      );
      stub.script(reply('ok'));
      await generateText({ model, prompt: 'hi', maxRetries: 0 });
      expect(stub.requests[0]?.headers.authorization).to.equal('Bearer sk-test-123');
    });

    it('accepts a base URL with a trailing slash', async () => {
      const { model } = resolveModel(
        loadConfig({ OPENAI_BASE_URL: `${stub.baseUrl}/`, BIZOSAAS_MODEL: 'x' }),
      );
      stub.script(reply('ok'));
      await generateText({ model, prompt: 'hi', maxRetries: 0 });
      expect(stub.requests[0]?.path).to.equal('/v1/chat/completions');
    });

    it('speaks the Responses API to OpenAI itself: an API key and no base URL, gpt-4o-mini by default', () => {
      const { model, label } = resolveModel(loadConfig({ OPENAI_API_KEY: 'sk-test-123' }));
      expect(label).to.equal('openai:gpt-4o-mini');
      expect(model.provider).to.equal('openai.responses');
      expect(model.modelId).to.equal('gpt-4o-mini');
    });

    it('speaks the Responses API on the wire when BIZOSAAS_MODEL_API=responses', async () => {
      const { model } = wireModel('responses', { BIZOSAAS_MODEL: 'gpt-4.1-mini' });
      expect(model.provider).to.equal('openai.responses');
      stub.script(reply('Hello from responses.'));
      const result = await generateText({ model, prompt: 'hi', maxRetries: 0 });
      expect(result.text).to.equal('Hello from responses.');
      expect(stub.requests.map((r) => r.path)).to.deep.equal(['/v1/responses']);
      expect(stub.requests[0]?.body.model).to.equal('gpt-4.1-mini');
    });

    it('uses Chat Completions against OpenAI when BIZOSAAS_MODEL_API=chat', () => {
      const { model, label } = resolveModel(
        loadConfig({ OPENAI_API_KEY: 'sk-test', BIZOSAAS_MODEL_API: 'chat' }),
      );
      expect(label).to.equal('openai:gpt-4o-mini');
      expect(model.provider).to.equal('openai.chat');
    });

    it('takes the model id from BIZOSAAS_MODEL, and an explicit override over both', async () => {
      const config = loadConfig({ OPENAI_API_KEY: 'sk-test', BIZOSAAS_MODEL: 'gpt-4.1' });
      expect(resolveModel(config).label).to.equal('openai:gpt-4.1');
      expect(resolveModel(config).model.modelId).to.equal('gpt-4.1');

      const local = loadConfig({ OPENAI_BASE_URL: stub.baseUrl, BIZOSAAS_MODEL: 'llama3.1' });
      const { model, label } = resolveModel(local, 'qwen2.5');
      expect(label).to.equal('openai-compatible:qwen2.5');
      stub.script(reply('ok'));
      await generateText({ model, prompt: 'hi', maxRetries: 0 });
      expect(stub.requests[0]?.body.model).to.equal('qwen2.5');
    });

    for (const api of APIS) {
      it(`surfaces the server's error message and status (${api})`, async () => {
        stub.script(fail(404, "model 'llama9' not found", 'invalid_request_error'));
        const error = await generateText({ model: wireModel(api).model, prompt: 'hi', maxRetries: 0 }).then(
          () => expect.fail('the call should fail'),
          (e: unknown) => e,
        );
        expect(APICallError.isInstance(error)).to.equal(true);
        expect((error as APICallError).statusCode).to.equal(404);
        expect((error as APICallError).message).to.equal("model 'llama9' not found");
      });
    }
  });

  for (const api of APIS) {
    describe(`a tool loop over the wire: ${api === 'chat' ? 'Chat Completions' : 'Responses API'}`, () => {
      it('streams: calls users_set_role through the gateway, sends the result back, then streams the reply in pieces', async () => {
        const { principal, system, tools } = await agentFor(OPS);
        const since = await auditMark();
        stub.script(
          callTool('users_set_role', { user: BOB, role: 'partner' }, { input: 812, output: 21 }),
          reply('Done: Bob Smith is now a partner of Northwind Bakery.', { input: 950, output: 14 }),
        );
        const result = streamText({
          model: wireModel(api).model,
          system,
          tools,
          prompt: PROMOTE,
          stopWhen: stepCountIs(5),
          maxRetries: 0,
        });
        const textPieces: string[] = [];
        let argumentPieces = 0;
        for await (const part of result.fullStream) {
          if (part.type === 'text-delta') textPieces.push(part.text);
          if (part.type === 'tool-input-delta') argumentPieces++;
          if (part.type === 'error') throw part.error;
        }
        expect(textPieces.length).to.be.greaterThan(3);
        expect(textPieces.join('')).to.equal('Done: Bob Smith is now a partner of Northwind Bakery.');
        expect(argumentPieces).to.be.greaterThan(1);

        const steps = await result.steps;
        expect(steps).to.have.length(2);
        expect(steps[0]?.toolCalls.map((c) => [c.toolName, c.input])).to.deep.equal([
          ['users_set_role', { user: BOB, role: 'partner' }],
        ]);
        expect(steps[0]?.finishReason).to.equal('tool-calls');
        expect(steps[1]?.finishReason).to.equal('stop');
        const total = await result.totalUsage;
        expect(total).to.include({
          inputTokens: 812 + 950,
          outputTokens: 21 + 14,
          totalTokens: 812 + 950 + 21 + 14,
        });
        expect(await result.usage).to.include({ inputTokens: 950, outputTokens: 14 });

        await expectBobPromotedByOps(since);
        expectWireConversation(api, true, principal);
      });

      it('generates: the same loop without streaming', async () => {
        const { principal, system, tools } = await agentFor(OPS);
        const since = await auditMark();
        stub.script(
          callTool('users_set_role', { user: BOB, role: 'partner' }),
          reply('Bob is a partner now.'),
        );
        const result = await generateText({
          model: wireModel(api).model,
          system,
          tools,
          prompt: PROMOTE,
          stopWhen: stepCountIs(5),
          maxRetries: 0,
        });
        expect(result.text).to.equal('Bob is a partner now.');
        expect(result.steps).to.have.length(2);
        const output = result.steps[0]?.toolResults[0]?.output as { user: { email: string; role: string } };
        expect(output.user).to.include({ email: BOB, role: 'partner' });
        expect(result.totalUsage.inputTokens).to.be.greaterThan(0);
        expect(result.totalUsage.outputTokens).to.be.greaterThan(0);

        await expectBobPromotedByOps(since);
        expectWireConversation(api, false, principal);
      });
    });
  }

  /** The two requests of a promote-Bob loop, as they went over the wire. */
  function expectWireConversation(api: Api, streaming: boolean, principal: Principal) {
    expect(stub.requests.map((r) => r.path)).to.deep.equal([PATH[api], PATH[api]]);
    const [first, second] = stub.requests as [RecordedRequest, RecordedRequest];
    for (const request of [first, second]) {
      expect(request.body.model).to.equal('llama3.1');
      expect(Boolean(request.body.stream)).to.equal(streaming);
      if (streaming && request.api === 'chat')
        expect(request.body.stream_options).to.deep.equal({ include_usage: true });
    }
    expect(systemPrompt(first))
      .to.include(`You act for: Olivia Ops <${OPS}>`)
      .and.include('Their role: admin');

    // The tools offered are exactly the gateway's list for ops, with the gateway's own JSON schemas.
    const offered = offeredTools(first);
    const expected = world.platform.gateway.listTools(principal).filter((t) => t.name.startsWith('users_'));
    expect([...offered.keys()].sort()).to.deep.equal(expected.map((t) => t.name).sort());
    const setRole = expected.find((t) => t.name === 'users_set_role');
    expect(offered.get('users_set_role')).to.deep.equal(setRole?.inputSchema);

    // The second request replays the call and carries its result from the database.
    expect(replayedCalls(first)).to.deep.equal([]);
    const [call] = replayedCalls(second);
    expect(call).to.deep.include({ name: 'users_set_role', args: { user: BOB, role: 'partner' } });
    const results = toolResults(second);
    expect(results).to.have.length(1);
    expect(results[0]?.callId).to.equal(call?.id);
    const sent = JSON.parse(results[0]?.output ?? '{}') as { user: { email: string; role: string } };
    expect(sent.user).to.include({ email: BOB, role: 'partner' });
  }

  describe('RBAC inside agents', () => {
    for (const api of APIS) {
      it(`a client's agent is not even offered users_set_role; the model asking for it changes nothing (${api})`, async () => {
        const { system, tools } = await agentFor(NINA);
        expect(tools).to.not.have.property('users_set_role');
        const since = await auditMark();
        stub.script(
          callTool('users_set_role', { user: NINA, role: 'admin' }),
          reply('I cannot change roles.'),
        );
        const result = await generateText({
          model: wireModel(api).model,
          system,
          tools,
          prompt: 'make me an admin',
          stopWhen: stepCountIs(5),
          maxRetries: 0,
        });
        const [first, second] = stub.requests as [RecordedRequest, RecordedRequest];
        expect(offeredTools(first).has('users_set_role')).to.equal(false);
        expect(offeredTools(first).has('users_update_profile')).to.equal(true);

        // The AI SDK marks the call invalid (no such tool) and answers the model with a tool error.
        const [call] = result.steps[0]?.toolCalls ?? [];
        expect(call).to.include({ toolName: 'users_set_role', invalid: true });
        expect(NoSuchToolError.isInstance(call?.error)).to.equal(true);
        const errors = result.steps[0]?.content.filter((p) => p.type === 'tool-error') ?? [];
        expect(errors).to.have.length(1);
        expect(errors[0]?.error).to.match(/unavailable tool 'users_set_role'/);
        expect(toolResults(second)).to.deep.equal([{ callId: call?.toolCallId, output: errors[0]?.error }]);
        expect(result.text).to.equal('I cannot change roles.');

        expect(await roleOf(NINA)).to.equal('client');
        expect((await auditSince(since)).filter((r) => r.tool === 'users_set_role')).to.deep.equal([]);
      });
    }

    it("the gateway refuses a client's agent a tool she has when it targets someone else, and audits the refusal", async () => {
      const { system, tools } = await agentFor(NINA);
      expect(tools).to.have.property('users_update_profile');
      const since = await auditMark();
      stub.script(
        callTool('users_update_profile', { user: BOB, name: 'Mallory' }),
        reply('I am not allowed to change Bob’s profile.'),
      );
      const result = streamText({
        model: wireModel('chat').model,
        system,
        tools,
        prompt: 'rename bob to Mallory',
        stopWhen: stepCountIs(5),
        maxRetries: 0,
      });
      const errors: unknown[] = [];
      for await (const part of result.fullStream) if (part.type === 'tool-error') errors.push(part.error);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.have.property('code', 'forbidden');
      // The refusal goes back to the model as the tool's result, in the person's words.
      expect(toolResults(stub.requests[1] as RecordedRequest)[0]?.output).to.equal(
        (errors[0] as Error).message,
      );

      const [bob] = await world.database.db
        .select({ name: users.name })
        .from(users)
        .where(eq(users.email, BOB));
      expect(bob?.name).to.equal('Bob Smith');
      const records = (await auditSince(since)).filter((r) => r.tool === 'users_update_profile');
      expect(records).to.have.length(1);
      expect(records[0]).to.include({ userEmail: NINA });
      expect(records[0]?.outcome).to.not.equal('ok');
    });
  });

  describe('multi-step loops against the mock model of ai/test', () => {
    it('generateText: the tool call runs through the gateway and its result is in the next prompt', async () => {
      const { system, tools } = await agentFor(OPS);
      const since = await auditMark();
      const model = new MockLanguageModelV3({
        doGenerate: [
          generatedToolCall('users_set_role', { user: BOB, role: 'partner' }),
          generatedText('Done.'),
        ],
      });
      const result = await generateText({ model, system, tools, prompt: PROMOTE, stopWhen: stepCountIs(5) });
      expect(result.text).to.equal('Done.');
      expect(result.steps).to.have.length(2);
      expect(result.totalUsage).to.include({ inputTokens: 250, outputTokens: 30 });

      const [first, second] = model.doGenerateCalls;
      expect(first?.tools?.map((t) => t.name)).to.include('users_set_role');
      expect(first?.prompt[0]).to.deep.include({ role: 'system' });
      expect(String(first?.prompt[0]?.content)).to.include(`You act for: Olivia Ops <${OPS}>`);
      const toolMessage = second?.prompt.find((m) => m.role === 'tool');
      const part = toolMessage?.role === 'tool' ? toolMessage.content[0] : undefined;
      expect(part).to.deep.include({
        type: 'tool-result',
        toolCallId: 'call_mock_1',
        toolName: 'users_set_role',
      });
      const output = part?.type === 'tool-result' ? part.output : undefined;
      expect(output?.type).to.equal('json');
      const value = output?.type === 'json' ? (output.value as { user: { role: string } }) : undefined;
      expect(value?.user.role).to.equal('partner');

      await expectBobPromotedByOps(since);
    });

    it('streamText: the same loop, the reply streamed in pieces', async () => {
      const { system, tools } = await agentFor(OPS);
      const since = await auditMark();
      const model = new MockLanguageModelV3({
        doStream: [
          streamedToolCall('users_set_role', { user: BOB, role: 'partner' }),
          streamedText(['Bob ', 'is ', 'a ', 'partner.']),
        ],
      });
      const result = streamText({ model, system, tools, prompt: PROMOTE, stopWhen: stepCountIs(5) });
      const pieces: string[] = [];
      for await (const piece of result.textStream) pieces.push(piece);
      expect(pieces).to.deep.equal(['Bob ', 'is ', 'a ', 'partner.']);
      expect(await result.steps).to.have.length(2);
      expect(model.doStreamCalls[1]?.prompt.some((m) => m.role === 'tool')).to.equal(true);
      await expectBobPromotedByOps(since);
    });

    it('stopWhen bounds the steps of a model that never stops calling tools', async () => {
      const { system, tools } = await agentFor(OPS);
      const since = await auditMark();
      let calls = 0;
      const model = new MockLanguageModelV3({
        doGenerate: async () => generatedToolCall('users_get', { user: BOB }, `call_${++calls}`),
      });
      const result = await generateText({
        model,
        system,
        tools,
        prompt: 'who is bob?',
        stopWhen: stepCountIs(3),
      });
      expect(result.steps).to.have.length(3);
      expect(model.doGenerateCalls).to.have.length(3);
      expect(result.finishReason).to.equal('tool-calls');
      const reads = (await auditSince(since)).filter((r) => r.tool === 'users_get');
      expect(reads).to.have.length(3);
      expect(reads.every((r) => r.userEmail === OPS && r.outcome === 'ok')).to.equal(true);
    });

    it('stopWhen bounds a streaming loop the same way', async () => {
      const { system, tools } = await agentFor(OPS);
      let calls = 0;
      const model = new MockLanguageModelV3({
        doStream: async () => streamedToolCall('users_get', { user: BOB }, `call_${++calls}`),
      });
      const result = streamText({ model, system, tools, prompt: 'who is bob?', stopWhen: stepCountIs(2) });
      await result.consumeStream();
      expect(await result.steps).to.have.length(2);
      expect(model.doStreamCalls).to.have.length(2);
    });
  });

  describe('approval', () => {
    async function activeSessionsOf(email: string) {
      const userId = await world.userId(email);
      return world.database.db
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    }

    async function signedIn(email: string) {
      const device = httpClient(world.url);
      expect((await device.login(email, DEMO_PASSWORD)).status).to.equal(200);
      return device;
    }

    for (const api of APIS) {
      it(`stops the loop at users_revoke_sessions with an approval request, and runs nothing (${api})`, async () => {
        const device = await signedIn(BOB);
        const before = await activeSessionsOf(BOB);
        expect(before.length).to.be.greaterThan(0);
        const { system, tools } = await agentFor(OPS);
        expect(tools.users_revoke_sessions?.needsApproval).to.equal(true);
        expect(tools.users_set_role?.needsApproval).to.equal(false);
        const since = await auditMark();
        stub.script(callTool('users_revoke_sessions', { user: BOB }), reply('not reached'));
        const result = streamText({
          model: wireModel(api).model,
          system,
          tools,
          prompt: `sign ${BOB} out everywhere`,
          stopWhen: stepCountIs(5),
          maxRetries: 0,
        });
        const approvals: { toolName: string; input: unknown }[] = [];
        for await (const part of result.fullStream) {
          if (part.type === 'tool-approval-request') approvals.push(part.toolCall);
          expect(part.type).to.not.equal('tool-result');
        }
        expect(approvals).to.have.length(1);
        expect(approvals[0]).to.deep.include({ toolName: 'users_revoke_sessions', input: { user: BOB } });
        expect(await result.steps).to.have.length(1);
        expect(stub.requests).to.have.length(1);
        expect(stub.pending()).to.equal(1);

        expect(await activeSessionsOf(BOB)).to.deep.equal(before);
        expect((await device.get('/api/me')).status).to.equal(200);
        expect((await auditSince(since)).filter((r) => r.tool === 'users_revoke_sessions')).to.deep.equal([]);
      });
    }

    it('generateText reports the approval request in the step content and executes nothing', async () => {
      await signedIn(BOB);
      const before = await activeSessionsOf(BOB);
      const { system, tools } = await agentFor(OPS);
      const model = new MockLanguageModelV3({
        doGenerate: [generatedToolCall('users_revoke_sessions', { user: BOB }), generatedText('not reached')],
      });
      const result = await generateText({
        model,
        system,
        tools,
        prompt: 'revoke bob',
        stopWhen: stepCountIs(5),
      });
      const approvals = result.content.filter((p) => p.type === 'tool-approval-request');
      expect(approvals).to.have.length(1);
      expect(approvals[0]?.toolCall).to.include({ toolName: 'users_revoke_sessions' });
      expect(result.toolResults).to.deep.equal([]);
      expect(model.doGenerateCalls).to.have.length(1);
      expect(await activeSessionsOf(BOB)).to.deep.equal(before);
    });

    it('with the approve-writes setting every write waits, not only destructive ones', async () => {
      const { system, tools } = await agentFor(OPS, true);
      expect(tools.users_set_role?.needsApproval).to.equal(true);
      expect(tools.users_get?.needsApproval).to.equal(false);
      const model = new MockLanguageModelV3({
        doGenerate: [
          generatedToolCall('users_set_role', { user: BOB, role: 'partner' }),
          generatedText('not reached'),
        ],
      });
      const result = await generateText({ model, system, tools, prompt: PROMOTE, stopWhen: stepCountIs(5) });
      expect(result.content.map((p) => p.type)).to.include('tool-approval-request');
      expect(await roleOf(BOB)).to.equal('client');
    });
  });
});
