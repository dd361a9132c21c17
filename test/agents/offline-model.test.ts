import type { LanguageModelV3CallOptions, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { type ModelMessage, stepCountIs, streamText } from 'ai';
import { expect } from 'chai';
import { principalContext } from '../../agents/context.ts';
import { gatewayToolSet } from '../../agents/gateway-tools.ts';
import { createOfflineModel } from '../../agents/models/offline/index.ts';
import { checkLine, daysBefore, type Line, readLines, runTurn, todayOf } from '../support/command-lines.ts';
import { startWorld, type World } from '../support/world.ts';

const COMMANDS = readLines(new URL('../../../shared/agents/commands.jsonl', import.meta.url));
const PARAPHRASES = readLines(new URL('./fixtures/paraphrases.jsonl', import.meta.url));
/** Servers later issues add; their lines wait until their tools exist. */
const LATER_SERVERS = /^(crm|reviews|registry)_/;

/** Checks one line in a fresh world. */
function lineTest(line: Line) {
  it(`${line.id}: "${line.say}" (as ${line.as})`, async function () {
    const outcome = await checkLine(line);
    if (outcome.status === 'absent') {
      // Skipped only because a later issue's tool is not there yet.
      for (const name of outcome.absentTools) expect(name).to.match(LATER_SERVERS);
      this.skip();
    }
    expect(outcome.status, outcome.shown).to.equal('pass');
  });
}

describe('offline command model: the example commands', () => {
  for (const line of COMMANDS) lineTest(line);
});

describe('offline command model: other phrasings of the same intents', () => {
  it('has at least three phrasings of every example whose tools exist', async () => {
    const world = await startWorld();
    const existing = new Set(
      world.platform.gateway.listTools(await world.as('root@bizosaas.test')).map((t) => t.name),
    );
    await world.close();
    for (const line of COMMANDS) {
      if ((line.calls ?? []).some((c) => !existing.has(c.name))) continue;
      const phrasings = PARAPHRASES.filter((p) => p.id.split('.')[0] === line.id);
      expect(phrasings.length, line.id).to.be.at.least(3);
      for (const p of phrasings) expect(p.say).to.not.equal(line.say);
    }
  });
  for (const line of PARAPHRASES) lineTest(line);
});

describe('offline command model in the agent loop', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  it('streams text and tool calls through streamText, with rough token counts', async () => {
    const principal = await world.as('ops@bizosaas.test');
    const result = streamText({
      model: createOfflineModel(),
      system: principalContext(principal, new Date(), []),
      prompt: 'who works at Acme Plumbing?',
      tools: gatewayToolSet(world.platform.gateway, principal, { allow: ['*'], approveWrites: false }),
      stopWhen: stepCountIs(6),
    });
    const chunks: string[] = [];
    for await (const chunk of result.textStream) chunks.push(chunk);
    expect(chunks.length).to.be.greaterThan(3);
    const text = chunks.join('');
    expect(text).to.include('Carol Diaz').and.to.include('Dave Kim');
    const steps = await result.steps;
    const calls = steps.flatMap((s) => s.toolCalls.map((c) => [c.toolName, c.input]));
    expect(calls).to.deep.include(['users_list', { tenant: 'acme' }]);
    expect(steps.at(-1)?.finishReason).to.equal('stop');
    const usage = await result.totalUsage;
    expect(usage.inputTokens).to.be.greaterThan(0);
    expect(usage.outputTokens).to.be.greaterThan(0);
  });

  it('says plainly when the platform refuses a call, quoting the reason', async () => {
    const { result, calls } = await runTurn(
      world,
      await world.as('ops@bizosaas.test'),
      'make carol@acme.test an admin',
    );
    expect(calls.map((c) => c.name)).to.deep.equal(['users_set_role']);
    expect(result.text).to.include('refused').and.to.include('Only a super admin');
  });

  it('acts for the caller on "me": the platform then refuses a change of their own role', async () => {
    const { result, calls } = await runTurn(
      world,
      await world.as('ops@bizosaas.test'),
      'promote me to admin',
    );
    expect(calls).to.deep.equal([
      { name: 'users_set_role', args: { user: 'ops@bizosaas.test', role: 'admin' } },
    ]);
    expect(result.text).to.match(/refused/);
  });

  it('makes one call per person when a command names several', async () => {
    const principal = await world.as('ops@bizosaas.test');
    const { calls } = await runTurn(
      world,
      principal,
      'turn off billing for dave@acme.test and carol@acme.test',
    );
    expect(calls).to.deep.equal([
      { name: 'users_set_features', args: { user: 'dave@acme.test', features: { billing: false } } },
      { name: 'users_set_features', args: { user: 'carol@acme.test', features: { billing: false } } },
    ]);
  });

  it('asks which person is meant when a name fits several, and calls nothing that writes', async () => {
    const ops = await world.as('ops@bizosaas.test');
    await world.platform.gateway.callTool(ops, 'users_invite', {
      email: 'carol.b@acme.test',
      name: 'Carol Brown',
      tenant: 'acme',
    });
    const { result, calls } = await runTurn(world, ops, 'disable AI for Carol');
    expect(calls.every((c) => c.name === 'users_list')).to.equal(true);
    expect(result.text).to.include('?').and.to.include('Carol Diaz').and.to.include('Carol Brown');
  });

  it('asks who is meant when a name fits nobody', async () => {
    const { result, calls } = await runTurn(
      world,
      await world.as('ops@bizosaas.test'),
      'revoke all sessions for Zelda',
    );
    expect(calls.map((c) => c.name)).to.deep.equal(['users_list']);
    expect(result.text).to.include('Zelda').and.to.include('?');
  });

  it('completes a command with the answer to its own question on the next turn', async () => {
    const ops = await world.as('ops@bizosaas.test');
    const first = await runTurn(world, ops, 'invite someone new');
    expect(first.result.text).to.include('?');
    const messages: ModelMessage[] = [
      { role: 'user', content: 'invite someone new' },
      ...first.result.response.messages,
      { role: 'user', content: 'eve@acme.test, Eve Adams' },
    ];
    const second = await runTurn(world, ops, messages);
    expect(second.calls).to.deep.include({
      name: 'users_invite',
      args: { email: 'eve@acme.test', name: 'Eve Adams' },
    });
    expect(second.result.text).to.match(/^Done: invited Eve Adams <eve@acme.test>/);
  });

  it('summarises the result after a destructive call is approved', async () => {
    const ops = await world.as('ops@bizosaas.test');
    const first = await runTurn(world, ops, 'revoke all sessions for carol@acme.test');
    const request = first.result.content.find((p) => p.type === 'tool-approval-request');
    if (request?.type !== 'tool-approval-request') expect.fail('no approval request');
    const messages: ModelMessage[] = [
      { role: 'user', content: 'revoke all sessions for carol@acme.test' },
      ...first.result.response.messages,
      {
        role: 'tool',
        content: [{ type: 'tool-approval-response', approvalId: request.approvalId, approved: true }],
      },
    ];
    const second = await runTurn(world, ops, messages);
    expect(second.result.text).to.match(/^Done: revoked sessions — carol@acme.test/);
  });

  it('says it did nothing when an approval is rejected', async () => {
    const ops = await world.as('ops@bizosaas.test');
    const first = await runTurn(world, ops, 'force a password reset for nina@northwind.test');
    const request = first.result.content.find((p) => p.type === 'tool-approval-request');
    if (request?.type !== 'tool-approval-request') expect.fail('no approval request');
    const messages: ModelMessage[] = [
      { role: 'user', content: 'force a password reset for nina@northwind.test' },
      ...first.result.response.messages,
      {
        role: 'tool',
        content: [{ type: 'tool-approval-response', approvalId: request.approvalId, approved: false }],
      },
    ];
    const second = await runTurn(world, ops, messages);
    expect(second.result.text).to.match(/did not run users_force_password_reset/);
  });

  it('resolves a name from an earlier turn without looking it up again', async () => {
    const ops = await world.as('ops@bizosaas.test');
    const first = await runTurn(world, ops, 'list all partners');
    const messages: ModelMessage[] = [
      { role: 'user', content: 'list all partners' },
      ...first.result.response.messages,
      { role: 'user', content: 'show me Paula’s activity since yesterday' },
    ];
    const { calls } = await runTurn(world, ops, messages);
    expect(calls).to.deep.equal([
      {
        name: 'audit_user_timeline',
        args: {
          user: 'paula@brightpath.test',
          from: daysBefore(todayOf(ops), 1),
          to: daysBefore(todayOf(ops), 1),
        },
      },
    ]);
  });
});

describe('offline command model on tools it has never seen', () => {
  const system =
    'You act for: Olivia Ops <ops@bizosaas.test>\nTheir role: admin\nToday (their time zone): 2026-03-10';
  const date = (description: string) => ({ type: 'string', format: 'date', description });
  const tools: LanguageModelV3CallOptions['tools'] = [
    {
      type: 'function',
      name: 'crm_list_leads',
      description: 'List leads, newest first, by status, text and date range.',
      inputSchema: {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['new', 'contacted', 'qualified', 'won', 'lost'] },
          query: { type: 'string' },
          from: date('From this day.'),
          to: date('Until this day.'),
        },
      },
    },
    {
      type: 'function',
      name: 'crm_create_lead',
      description: 'Create a lead: a person who may become a customer.',
      inputSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', description: "The person's full name." },
          email: { type: 'string', format: 'email' },
          phone: { type: 'string' },
        },
        required: ['name'],
      },
    },
    {
      type: 'function',
      name: 'reviews_list',
      description: 'List reviews of the business, filtered by rating and whether they were answered.',
      inputSchema: {
        type: 'object',
        properties: {
          rating: { type: 'integer', minimum: 1, maximum: 5 },
          maxRating: { type: 'integer', minimum: 1, maximum: 5 },
          unanswered: { type: 'boolean' },
          from: date('From this day.'),
        },
      },
    },
    {
      type: 'function',
      name: 'registry_list_services',
      description: 'List the MCP services of the catalog, by text and status.',
      inputSchema: {
        type: 'object',
        properties: { query: { type: 'string' }, status: { type: 'string', enum: ['active', 'deprecated'] } },
      },
    },
    {
      type: 'function',
      name: 'registry_update_service',
      description: 'Change a catalog service: feature it, show it in client onboarding, set its status.',
      inputSchema: {
        type: 'object',
        properties: {
          service: { type: 'string', description: 'The service: its id (svc_…) or slug.' },
          featured: { type: 'boolean' },
          onboardingVisible: { type: 'boolean' },
          status: { type: 'string', enum: ['active', 'deprecated'] },
        },
        required: ['service'],
      },
    },
  ];
  /** The catalog a lookup finds, standing in for a registry server. */
  const services = {
    items: [
      { id: 'svc_01JAAAAAAAAAAAAAAAAAAAAAAA', slug: 'hubspot', name: 'HubSpot' },
      { id: 'svc_01JBBBBBBBBBBBBBBBBBBBBBBB', slug: 'cloudways', name: 'Cloudways' },
    ],
    total: 2,
  };

  /** Steps the model with `doGenerate` alone, answering its lookups, until it makes a real call. */
  async function callOf(say: string) {
    const prompt: LanguageModelV3Prompt = [
      { role: 'system', content: system },
      { role: 'user', content: [{ type: 'text', text: say }] },
    ];
    for (let step = 0; step < 4; step++) {
      const result = await createOfflineModel().doGenerate({ prompt, tools });
      const call = result.content.find((c) => c.type === 'tool-call');
      if (call?.type !== 'tool-call') return result.content;
      const input = JSON.parse(call.input);
      if (!call.toolCallId.includes('lookup')) return { name: call.toolName, args: input };
      prompt.push(
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input }],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: call.toolCallId,
              toolName: call.toolName,
              output: { type: 'json', value: services },
            },
          ],
        },
      );
    }
    return undefined;
  }

  it('lists new leads from this week by the schema of a new tool', async () => {
    expect(await callOf('show me new leads from this week')).to.deep.equal({
      name: 'crm_list_leads',
      args: { status: 'new', from: '2026-03-03' },
    });
  });

  it('creates a lead with the name and email it was given', async () => {
    expect(await callOf('add a lead for Dana Lee, dana@acmecorp.test')).to.deep.equal({
      name: 'crm_create_lead',
      args: { name: 'Dana Lee', email: 'dana@acmecorp.test' },
    });
  });

  it('reads a rating limit and a yes/no filter from the words around them', async () => {
    expect(await callOf('list unanswered reviews with 2 stars or less')).to.deep.equal({
      name: 'reviews_list',
      args: { maxRating: 2, unanswered: true },
    });
  });

  it('finds a service by name through a lookup, and sets the switches the command names', async () => {
    expect(await callOf('feature HubSpot in client onboarding')).to.deep.equal({
      name: 'registry_update_service',
      args: { service: 'hubspot', featured: true, onboardingVisible: true },
    });
  });

  it('reads "deprecate X" as setting the status value of that name', async () => {
    expect(await callOf('deprecate Cloudways')).to.deep.equal({
      name: 'registry_update_service',
      args: { service: 'cloudways', status: 'deprecated' },
    });
  });

  it('streams its answer as AI SDK stream parts', async () => {
    const { stream } = await createOfflineModel().doStream({
      prompt: [
        { role: 'system', content: system },
        { role: 'user', content: [{ type: 'text', text: 'show me new leads from this week' }] },
      ],
      tools,
    });
    const parts = [];
    for await (const part of stream) parts.push(part);
    expect(parts[0]).to.deep.equal({ type: 'stream-start', warnings: [] });
    const call = parts.find((p) => p.type === 'tool-call');
    expect(call).to.include({ type: 'tool-call', toolName: 'crm_list_leads' });
    expect(JSON.parse((call as { input: string }).input)).to.deep.equal({
      status: 'new',
      from: '2026-03-03',
    });
    const finish = parts.at(-1);
    if (finish?.type !== 'finish') expect.fail('the stream does not end with finish');
    expect(finish.finishReason.unified).to.equal('tool-calls');
    expect(finish.usage.inputTokens.total).to.be.greaterThan(0);
  });
});
