import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { MockLanguageModelV3 } from 'ai/test';
import { expect } from 'chai';
import { and, count, eq } from 'drizzle-orm';
import { auditLog } from '../../core/audit/schema.ts';
import type { AppError } from '../../core/errors.ts';
import { domainEvents } from '../../core/events/schema.ts';
import { claimJobs, enqueueJob, failJob } from '../../core/jobs/queue.ts';
import { jobs } from '../../core/jobs/schema.ts';
import { agentUsage, taskRuns, tasks } from '../../servers/agents/schema.ts';
import { identity } from '../../servers/users/index.ts';
import { sessions, users } from '../../servers/users/schema.ts';
import { refusalOf } from '../support/refusal.ts';
import { scriptedModel } from '../support/scripted-model.ts';
import { startWorld, type World } from '../support/world.ts';

const NINA = 'nina@northwind.test';
const BOB = 'bob@northwind.test';
const CAROL = 'carol@acme.test';
const PAULA = 'paula@brightpath.test';
const OPS = 'ops@bizosaas.test';
const ROOT = 'root@bizosaas.test';

type Task = { id: string; name: string; owner: string; nextRunAt: string | null } & Record<string, unknown>;
type Run = {
  id: string;
  status: string;
  trigger: string;
  attempt: number;
  reply: string | null;
  toolCalls: { name: string; ok: boolean; awaitingApproval?: boolean; error?: string }[];
  awaitingApproval: string[];
  error: string | null;
};

const call = async (world: World, email: string, tool: string, args: Record<string, unknown> = {}) =>
  world.platform.gateway.callTool(await world.as(email), tool, args);

async function createTask(world: World, email: string, args: Record<string, unknown>): Promise<Task> {
  return (await call(world, email, 'agents_create_task', args)).task as Task;
}

async function runsOf(world: World, email: string, task: string): Promise<Run[]> {
  return (await call(world, email, 'agents_task_runs', { task })).items as Run[];
}

const taskCount = async (world: World) =>
  (await world.database.db.select({ n: count() }).from(tasks))[0]?.n ?? 0;

/** The fields a bad_request names: zod's list, or the fields or field a server named. */
function fieldsOf(error: AppError): string[] {
  const details = error.details ?? {};
  if (Array.isArray(details.fields)) return (details.fields as { field: string }[]).map((f) => f.field);
  return typeof details.field === 'string' ? [details.field] : [];
}

/** What a model call was asked: the system prompt and the user's message, as text. */
function promptText(options: LanguageModelV3CallOptions | undefined, role: 'system' | 'user'): string {
  return JSON.stringify((options?.prompt ?? []).filter((m) => m.role === role));
}

/** The hour of a date on the clock of a time zone. */
const hourIn = (iso: string, timeZone: string) =>
  Number(
    new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date(iso)),
  );

const seconds = (n: number) => n * 1000;

describe('Task automation: the task tools', () => {
  let world: World;
  before(async () => {
    world = await startWorld({}, { model: scriptedModel([]).model });
  });
  after(() => world.close());

  it('creates a scheduled task owned by the caller, reading the cron in the given time zone', async () => {
    const task = await createTask(world, NINA, {
      name: 'Weekday digest',
      instruction: 'List the people of my business.',
      schedule: '0 9 * * 1-5',
      timezone: 'asia/tokyo',
    });
    expect(task).to.include({
      name: 'Weekday digest',
      owner: await world.userId(NINA),
      agent: 'assistant',
      trigger: 'schedule',
      schedule: '0 9 * * 1-5',
      timezone: 'Asia/Tokyo',
      event: null,
      enabled: true,
    });
    expect(task.id).to.match(/^tsk_/);
    expect(new Date(task.nextRunAt as string).getTime()).to.be.greaterThan(Date.now());
    expect(hourIn(task.nextRunAt as string, 'Asia/Tokyo')).to.equal(9);
    const [audit] = await world.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.tool, 'agents_create_task'));
    expect(audit?.target).to.equal(task.id);
  });

  it('creates an event task with no next run, in the caller’s own time zone by default', async () => {
    await call(world, BOB, 'users_set_locale', { timezone: 'Europe/Paris' });
    const task = await createTask(world, BOB, {
      name: 'Welcome',
      instruction: 'Say hello to the new person.',
      event: 'users.user_created',
    });
    expect(task).to.include({
      trigger: 'event',
      event: 'users.user_created',
      schedule: null,
      nextRunAt: null,
    });
    expect(task.timezone).to.equal('Europe/Paris');
  });

  it('refuses bad input with bad_request naming the field, and writes nothing', async () => {
    const before = await taskCount(world);
    const base = { name: 'Broken', instruction: 'Do something.' };
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['a schedule that is not cron', { schedule: 'every morning' }, ['schedule']],
      ['a minute of 61', { schedule: '61 * * * *' }, ['schedule']],
      ['every second', { schedule: '* * * * * *' }, ['schedule']],
      ['twice a minute', { schedule: '0,30 * * * * *' }, ['schedule']],
      ['seven fields', { schedule: '0 0 0 1 1 * 2030' }, ['schedule']],
      ['an unknown event', { event: 'users.user_exploded' }, ['event']],
      ['an unknown time zone', { schedule: '0 9 * * *', timezone: 'Mars/Olympus_Mons' }, ['timezone']],
      ['an offset instead of a zone', { schedule: '0 9 * * *', timezone: '+02:00' }, ['timezone']],
      [
        'both a schedule and an event',
        { schedule: '0 9 * * *', event: 'users.user_created' },
        ['schedule', 'event'],
      ],
      ['neither a schedule nor an event', {}, ['schedule', 'event']],
      ['an empty instruction', { schedule: '0 9 * * *', instruction: '  ' }, ['instruction']],
      ['an unknown field', { schedule: '0 9 * * *', owner: 'usr_x' }, ['owner']],
    ];
    for (const [what, args, fields] of cases) {
      const error = await refusalOf(call(world, NINA, 'agents_create_task', { ...base, ...args }));
      expect(error.code, what).to.equal('bad_request');
      expect(fieldsOf(error), what).to.have.members(fields);
      for (const field of fields) expect(error.message, what).to.contain(field);
    }
    const ghost = await refusalOf(
      call(world, NINA, 'agents_create_task', { ...base, schedule: '0 9 * * *', agent: 'ghost' }),
    );
    expect([ghost.code, fieldsOf(ghost)]).to.deep.equal(['not_found', ['agent']]);
    expect(await taskCount(world)).to.equal(before);
  });

  it('lists a person’s own tasks; those who manage agents see their whole tenant’s', async () => {
    const mine = await createTask(world, NINA, {
      name: 'Nina report',
      instruction: 'Report.',
      schedule: '0 8 * * *',
    });
    const bobs = await createTask(world, BOB, {
      name: 'Bob report',
      instruction: 'Report.',
      schedule: '0 8 * * *',
    });
    const carols = await createTask(world, CAROL, {
      name: 'Carol report',
      instruction: 'Report.',
      schedule: '0 8 * * *',
    });
    const paulas = await createTask(world, PAULA, {
      name: 'Paula report',
      instruction: 'Report.',
      schedule: '0 8 * * *',
    });
    const ops = await createTask(world, OPS, {
      name: 'Ops report',
      instruction: 'Report.',
      schedule: '0 8 * * *',
    });
    const roots = await createTask(world, ROOT, {
      name: 'Root report',
      instruction: 'Report.',
      schedule: '0 8 * * *',
    });
    const ids = async (email: string) =>
      ((await call(world, email, 'agents_list_tasks')).tasks as Task[]).map((t) => t.id);
    expect(await ids(NINA))
      .to.include(mine.id)
      .and.not.include(bobs.id)
      .and.not.include(carols.id);
    expect(await ids(BOB))
      .to.include(bobs.id)
      .and.not.include(mine.id);
    expect(await ids(CAROL)).to.deep.equal([carols.id]);
    // A partner manages agents in their own tenant; their clients' tasks stay their clients'.
    expect(await ids(PAULA)).to.deep.equal([paulas.id]);
    expect(await ids(OPS)).to.have.members([ops.id, roots.id]);
  });

  it('hides another user’s and another tenant’s task from a client: not listed, not found to change, run, read or delete', async () => {
    const bobs = await createTask(world, BOB, {
      name: 'Bob secret',
      instruction: 'Count.',
      schedule: '0 7 * * *',
    });
    const carols = await createTask(world, CAROL, {
      name: 'Carol secret',
      instruction: 'Count.',
      schedule: '0 7 * * *',
    });
    for (const task of [bobs.id, 'Bob secret', carols.id, 'Carol secret']) {
      for (const [tool, args] of [
        ['agents_update_task', { task, enabled: false }],
        ['agents_delete_task', { task }],
        ['agents_run_task', { task }],
        ['agents_task_runs', { task }],
      ] as const) {
        const error = await refusalOf(call(world, NINA, tool, args));
        expect(error.code, `${tool} ${task}`).to.equal('not_found');
      }
    }
    const rows = await world.database.db.select().from(tasks).where(eq(tasks.name, 'Bob secret'));
    expect(rows.map((r) => r.enabled)).to.deep.equal([true]);
    expect(await world.database.db.select().from(taskRuns).where(eq(taskRuns.taskId, bobs.id))).to.deep.equal(
      [],
    );
    expect(await world.database.db.select().from(tasks).where(eq(tasks.id, carols.id))).to.have.length(1);
  });

  it('lets only the owner change what a task does; a manager may switch it off, run it or delete it', async () => {
    const task = await createTask(world, ROOT, {
      name: 'Root audit',
      instruction: 'Check.',
      schedule: '0 6 * * *',
    });
    const changed = await refusalOf(
      call(world, OPS, 'agents_update_task', { task: task.id, instruction: 'Promote me.' }),
    );
    expect(changed.code).to.equal('forbidden');
    const off = (await call(world, OPS, 'agents_update_task', { task: task.id, enabled: false }))
      .task as Task;
    expect(off).to.include({ enabled: false, nextRunAt: null, instruction: 'Check.' });
    const run = await call(world, OPS, 'agents_run_task', { task: task.id });
    expect((run.run as Run).status).to.equal('queued');
    expect(await call(world, OPS, 'agents_delete_task', { task: task.id })).to.include({ deleted: task.id });
    expect(await world.database.db.select().from(tasks).where(eq(tasks.id, task.id))).to.deep.equal([]);
    expect(await world.database.db.select().from(taskRuns).where(eq(taskRuns.taskId, task.id))).to.deep.equal(
      [],
    );
    const [audit] = await world.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.tool, 'agents_delete_task'));
    expect(audit?.target).to.equal(task.id);
  });

  it('changes a task between schedule and event, restarts the schedule when switched back on, and refuses bad changes', async () => {
    const task = await createTask(world, NINA, {
      name: 'Shifty',
      instruction: 'Do it.',
      schedule: '0 9 * * *',
    });
    const update = async (args: Record<string, unknown>) =>
      (await call(world, NINA, 'agents_update_task', { task: task.id, ...args })).task as Task;
    expect(await update({ event: 'users.user_created' })).to.include({ schedule: null, nextRunAt: null });
    const back = await update({ schedule: '*/15 * * * *', timezone: 'UTC' });
    expect(back).to.include({ event: null, schedule: '*/15 * * * *' });
    expect(new Date(back.nextRunAt as string).getUTCMinutes() % 15).to.equal(0);
    expect(await update({ enabled: false })).to.include({ nextRunAt: null });
    expect((await update({ enabled: true })).nextRunAt).to.be.a('string');
    for (const [args, fields] of [
      [{ schedule: '0 9 * * *', event: 'users.user_created' }, ['schedule', 'event']],
      [{ schedule: 'soon' }, ['schedule']],
      [{ timezone: 'Nowhere/Land' }, ['timezone']],
      [{ schedule: '* * * * * *', enabled: false }, ['schedule']],
    ] as const) {
      const error = await refusalOf(call(world, NINA, 'agents_update_task', { task: task.id, ...args }));
      expect([error.code, fieldsOf(error)]).to.deep.equal(['bad_request', fields]);
    }
    expect((await refusalOf(call(world, NINA, 'agents_update_task', { task: task.id }))).code).to.equal(
      'bad_request',
    );
    const [row] = await world.database.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row).to.include({ schedule: '*/15 * * * *', timezone: 'UTC', enabled: true });
  });
});

describe('Task automation: running tasks', () => {
  it('fires a scheduled task when due, records a succeeded run with the model’s tool calls and reply, and meters it', async () => {
    const script = scriptedModel([
      { tools: [{ name: 'users_list', args: { query: 'bob' } }] },
      { text: 'Bob Smith works here.' },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      const task = await createTask(world, NINA, {
        name: 'Who is Bob',
        instruction: 'Find Bob in the directory.',
        schedule: '*/5 * * * *',
        timezone: 'UTC',
      });
      const due = new Date(task.nextRunAt as string);
      expect(await world.platform.automation.tick(new Date(due.getTime() - seconds(1)))).to.include({
        fired: 0,
        ran: 0,
      });
      expect(await world.platform.automation.tick(new Date(due.getTime() + seconds(1)))).to.include({
        fired: 1,
        ran: 1,
      });
      // The same slot never fires twice.
      expect(await world.platform.automation.tick(new Date(due.getTime() + seconds(2)))).to.include({
        fired: 0,
        ran: 0,
      });

      const [run] = await runsOf(world, NINA, task.id);
      expect(run).to.include({
        status: 'succeeded',
        trigger: 'schedule',
        attempt: 1,
        reply: 'Bob Smith works here.',
        error: null,
      });
      expect(run?.toolCalls.map((c) => [c.name, c.ok])).to.deep.equal([['users_list', true]]);
      expect(run?.awaitingApproval).to.deep.equal([]);
      const [row] = await world.database.db.select().from(tasks).where(eq(tasks.id, task.id));
      expect(row?.nextRunAt?.getTime()).to.equal(due.getTime() + 5 * 60_000);
      expect(promptText(script.calls[0], 'user')).to.contain('Find Bob in the directory.');
      expect(promptText(script.calls[0], 'system')).to.contain(
        'You act for: Nina Baker <nina@northwind.test>',
      );

      const usage = await world.database.db
        .select()
        .from(agentUsage)
        .where(eq(agentUsage.taskRunId, run?.id as string));
      expect(usage).to.have.length(1);
      expect(usage[0]).to.include({ userId: await world.userId(NINA), toolCalls: 1 });
      const [job] = await world.database.db.select().from(jobs);
      expect(job).to.include({ status: 'done', attempts: 1, kind: 'task.run' });
    } finally {
      await world.close();
    }
  });

  it('fires the event tasks of the new user’s tenant when users_invite creates a user, with the event in the prompt', async () => {
    const script = scriptedModel([{ text: 'Welcome aboard, New Bie!' }]);
    const world = await startWorld({}, { model: script.model });
    try {
      const welcome = await createTask(world, NINA, {
        name: 'Welcome',
        instruction: 'Greet the new user by name.',
        event: 'users.user_created',
      });
      const off = await createTask(world, NINA, {
        name: 'Off',
        instruction: 'Never.',
        event: 'users.user_created',
        enabled: false,
      });
      // The partner who invites has a task of their own, and so has another client: neither is the new user's tenant.
      const inviters = await createTask(world, PAULA, {
        name: 'Partner welcome',
        instruction: 'Greet.',
        event: 'users.user_created',
      });
      const elsewhere = await createTask(world, CAROL, {
        name: 'Acme welcome',
        instruction: 'Greet.',
        event: 'users.user_created',
      });
      const invited = (
        await call(world, PAULA, 'users_invite', {
          email: 'newbie@northwind.test',
          name: 'New Bie',
          tenant: 'northwind',
        })
      ).user as { id: string };

      const [event] = await world.database.db
        .select()
        .from(domainEvents)
        .where(eq(domainEvents.name, 'users.user_created'));
      expect(event).to.include({
        tenantId: await world.tenantId('northwind'),
        actorId: await world.userId(PAULA),
      });
      expect(event?.payload).to.deep.equal({
        userId: invited.id,
        email: 'newbie@northwind.test',
        name: 'New Bie',
        role: 'client',
      });
      expect(await world.platform.automation.tick()).to.include({ ran: 1 });

      const [run] = await runsOf(world, NINA, welcome.id);
      expect(run).to.include({ status: 'succeeded', trigger: 'event', reply: 'Welcome aboard, New Bie!' });
      const [row] = await world.database.db
        .select()
        .from(taskRuns)
        .where(eq(taskRuns.id, run?.id as string));
      expect(row?.eventId).to.equal(event?.id);
      const prompt = promptText(script.calls[0], 'user');
      expect(prompt).to.contain('Event users.user_created:').and.contain('newbie@northwind.test');
      expect(prompt).to.contain(invited.id).and.contain('Greet the new user by name.');
      expect(promptText(script.calls[0], 'system')).to.contain('You act for: Nina Baker');
      expect(await runsOf(world, NINA, off.id)).to.deep.equal([]);
      expect(await runsOf(world, PAULA, inviters.id)).to.deep.equal([]);
      expect(await runsOf(world, CAROL, elsewhere.id)).to.deep.equal([]);
      const [dispatched] = await world.database.db
        .select()
        .from(domainEvents)
        .where(eq(domainEvents.id, event?.id as string));
      expect(dispatched?.dispatchedAt).to.be.instanceOf(Date);
      // Dispatched once: another pass starts nothing.
      expect(await world.platform.automation.tick()).to.include({ dispatched: 0, ran: 0 });
    } finally {
      await world.close();
    }
  });

  it('retries a failing run with growing backoff, then records it failed after the last attempt', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: async () => {
        throw new Error('the model is unavailable');
      },
    });
    const world = await startWorld({}, { model });
    try {
      const task = await createTask(world, NINA, {
        name: 'Flaky',
        instruction: 'Try.',
        event: 'users.user_created',
      });
      await call(world, NINA, 'agents_run_task', { task: 'flaky' });
      const t0 = new Date(Date.now() + seconds(1));
      const tick = (at: Date) => world.platform.automation.tick(at);
      const state = async () => {
        const [run] = await runsOf(world, NINA, task.id);
        const [job] = await world.database.db.select().from(jobs);
        return { run: run as Run, job: job as typeof jobs.$inferSelect };
      };

      expect(await tick(t0)).to.include({ ran: 1 });
      let { run, job } = await state();
      expect(run).to.include({
        status: 'queued',
        attempt: 1,
        error: 'the model is unavailable',
        trigger: 'manual',
      });
      expect(job).to.include({ status: 'queued', attempts: 1 });
      const firstWait = job.runAt.getTime() - t0.getTime();
      expect(firstWait).to.be.within(seconds(10), seconds(12));

      expect(await tick(new Date(t0.getTime() + seconds(5)))).to.include({ ran: 0 });
      const t1 = new Date(job.runAt.getTime() + seconds(1));
      expect(await tick(t1)).to.include({ ran: 1 });
      ({ run, job } = await state());
      expect(run).to.include({ status: 'queued', attempt: 2 });
      expect(job.runAt.getTime() - t1.getTime()).to.be.within(seconds(20), seconds(22));

      expect(await tick(new Date(job.runAt.getTime() + seconds(1)))).to.include({ ran: 1 });
      ({ run, job } = await state());
      expect(run).to.include({ status: 'failed', attempt: 3, error: 'the model is unavailable' });
      expect(job).to.include({ status: 'failed', attempts: 3, lastError: 'the model is unavailable' });
      expect(await tick(new Date(job.runAt.getTime() + 3_600_000))).to.include({ ran: 0 });
    } finally {
      await world.close();
    }
  });

  it('runs as the owner’s current self: a demoted owner’s task can do less, a disabled owner’s fails at once', async () => {
    const script = scriptedModel([
      { tools: [{ name: 'users_invite', args: { email: 'sneaky@brightpath.test', name: 'Sneaky' } }] },
      { text: 'I could not invite them.' },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      const invite = await createTask(world, PAULA, {
        name: 'Invite',
        instruction: 'Invite sneaky.',
        event: 'users.user_created',
      });
      await call(world, OPS, 'users_set_role', { user: PAULA, role: 'client' });
      await call(world, PAULA, 'agents_run_task', { task: invite.id });
      await world.platform.automation.tick();
      const [demoted] = await runsOf(world, PAULA, invite.id);
      expect(demoted?.status).to.equal('succeeded');
      expect((script.calls[0]?.tools ?? []).map((t) => t.name)).to.not.include('users_invite');
      expect(
        await world.database.db.select().from(users).where(eq(users.email, 'sneaky@brightpath.test')),
      ).to.deep.equal([]);

      const gone = await createTask(world, BOB, {
        name: 'Gone',
        instruction: 'Anything.',
        event: 'users.user_created',
      });
      await call(world, BOB, 'agents_run_task', { task: gone.id });
      await world.database.db.update(users).set({ status: 'disabled' }).where(eq(users.email, BOB));
      const callsBefore = script.calls.length;
      await world.platform.automation.tick();
      const [run] = await world.database.db.select().from(taskRuns).where(eq(taskRuns.taskId, gone.id));
      expect(run).to.include({ status: 'failed', attempt: 1 });
      expect(run?.error).to.match(/owner .* can no longer act/);
      expect(script.calls.length).to.equal(callsBefore);
      const [job] = await world.database.db.select().from(jobs).where(eq(jobs.status, 'failed'));
      expect(job).to.include({ attempts: 1 });
    } finally {
      await world.close();
    }
  });

  it('never approves: a destructive call is not run, and the run says it awaits approval', async () => {
    const script = scriptedModel([{ tools: [{ name: 'users_revoke_sessions', args: { user: CAROL } }] }]);
    const world = await startWorld({}, { model: script.model });
    try {
      const carolId = await world.userId(CAROL);
      const session = await identity.createSession(world.database.db, { userId: carolId, ttlHours: 1 });
      const task = await createTask(world, OPS, {
        name: 'Sign Carol out',
        instruction: 'Revoke all of Carol’s sessions.',
        schedule: '0 3 * * *',
      });
      await call(world, OPS, 'agents_run_task', { task: task.id });
      await world.platform.automation.tick();

      const [run] = await runsOf(world, OPS, task.id);
      expect(run?.status).to.equal('succeeded');
      expect(run?.awaitingApproval).to.deep.equal(['users_revoke_sessions']);
      expect(run?.toolCalls).to.have.length(1);
      expect(run?.toolCalls[0]).to.include({
        name: 'users_revoke_sessions',
        ok: false,
        awaitingApproval: true,
      });
      expect(run?.toolCalls[0]?.error).to.match(/awaits approval/);
      const [row] = await world.database.db.select().from(sessions).where(eq(sessions.id, session.id));
      expect(row?.revokedAt).to.equal(null);
      await world.platform.audit.flush();
      const revokes = await world.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.tool, 'users_revoke_sessions'));
      expect(revokes).to.deep.equal([]);
    } finally {
      await world.close();
    }
  });

  it('runs at most two of a tenant’s tasks at once, while another tenant’s run alongside', async () => {
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    let overall = 0;
    let overallPeak = 0;
    const model = new MockLanguageModelV3({
      doGenerate: async (options) => {
        const tenant = /Their tenant: .*\((\w+)\)/.exec(promptText(options, 'system'))?.[1] ?? '?';
        active.set(tenant, (active.get(tenant) ?? 0) + 1);
        overall += 1;
        peak.set(tenant, Math.max(peak.get(tenant) ?? 0, active.get(tenant) ?? 0));
        overallPeak = Math.max(overallPeak, overall);
        await new Promise((resolve) => setTimeout(resolve, 200));
        active.set(tenant, (active.get(tenant) ?? 1) - 1);
        overall -= 1;
        return {
          content: [{ type: 'text', text: 'ok' }],
          finishReason: { unified: 'stop', raw: undefined },
          usage: {
            inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
            outputTokens: { total: 1, text: 1, reasoning: 0 },
          },
          warnings: [],
        };
      },
    });
    const world = await startWorld({}, { model });
    try {
      for (const [email, n] of [
        [NINA, 4],
        [CAROL, 1],
      ] as const) {
        for (let i = 0; i < n; i++) {
          const task = await createTask(world, email, {
            name: `Job ${i}`,
            instruction: 'Say ok.',
            event: 'users.user_created',
          });
          await call(world, email, 'agents_run_task', { task: task.id });
        }
      }
      expect(await world.platform.automation.tick()).to.include({ ran: 5 });
      expect(peak.get('northwind')).to.equal(2);
      expect(peak.get('acme')).to.equal(1);
      expect(overallPeak).to.equal(3);
      const statuses = await world.database.db.select({ status: taskRuns.status }).from(taskRuns);
      expect(statuses.map((s) => s.status)).to.deep.equal(Array(5).fill('succeeded'));
    } finally {
      await world.close();
    }
  });
});

describe('Task automation: the timer', () => {
  it('runs queued work on its own once started, and stop() waits for the run in flight', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const model = new MockLanguageModelV3({
      doGenerate: async () => {
        started += 1;
        await gate;
        return {
          content: [{ type: 'text', text: 'done on time' }],
          finishReason: { unified: 'stop', raw: undefined },
          usage: {
            inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
            outputTokens: { total: 1, text: 1, reasoning: 0 },
          },
          warnings: [],
        };
      },
    });
    const world = await startWorld({}, { model });
    try {
      const task = await createTask(world, NINA, {
        name: 'Timed',
        instruction: 'Go.',
        event: 'users.user_created',
      });
      await call(world, NINA, 'agents_run_task', { task: task.id });
      world.platform.automation.start(20);
      for (let waited = 0; started === 0 && waited < 5000; waited += 20)
        await new Promise((r) => setTimeout(r, 20));
      expect(started).to.equal(1);
      const stopping = world.platform.automation.stop();
      setTimeout(release, 50);
      await stopping;
      const [run] = await runsOf(world, NINA, task.id);
      expect(run).to.include({ status: 'succeeded', reply: 'done on time' });
    } finally {
      release();
      await world.close();
    }
  });
});

describe('Task automation: the job queue', () => {
  let world: World;
  before(async () => {
    world = await startWorld({}, { model: scriptedModel([]).model });
  });
  after(() => world.close());

  it('never hands the same job to two claims made at once (FOR UPDATE SKIP LOCKED)', async () => {
    const db = world.database.db;
    const tenantId = await world.tenantId('acme');
    const queued = new Set<string>();
    for (let i = 0; i < 30; i++)
      queued.add(await enqueueJob(db, { tenantId, kind: 'test.parallel', payload: { i } }));
    const claim = () => claimJobs(db, { limit: 10, lockMs: 60_000, kinds: ['test.parallel'] });
    const batches = await Promise.all([claim(), claim(), claim(), claim()]);
    const claimed = batches.flat().map((j) => j.id);
    expect(new Set(claimed).size).to.equal(claimed.length);
    // Whatever a claim skipped while others held it is still there for the next one, exactly once.
    for (let more = await claim(); more.length; more = await claim()) claimed.push(...more.map((j) => j.id));
    expect(claimed).to.have.length(30);
    expect(new Set(claimed)).to.deep.equal(queued);
    const rows = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, 'test.parallel'), eq(jobs.status, 'running')));
    expect(rows.every((r) => r.attempts === 1)).to.equal(true);
  });

  it('claims a job again once its worker’s lock ran out, and backs off failed attempts until the last', async () => {
    const db = world.database.db;
    const tenantId = await world.tenantId('zen');
    const id = await enqueueJob(db, { tenantId, kind: 'test.lock', maxAttempts: 2 });
    const now = new Date(Date.now() + seconds(1));
    const [first] = await claimJobs(db, { limit: 5, lockMs: seconds(30), kinds: ['test.lock'], now });
    expect(first).to.include({ id, attempts: 1, status: 'running' });
    expect(await claimJobs(db, { limit: 5, lockMs: seconds(30), kinds: ['test.lock'], now })).to.deep.equal(
      [],
    );
    const later = new Date(now.getTime() + seconds(31));
    const [again] = await claimJobs(db, { limit: 5, lockMs: seconds(30), kinds: ['test.lock'], now: later });
    expect(again).to.include({ id, attempts: 2 });
    // The first worker lost the job: its late failure changes nothing.
    expect(await failJob(db, first as typeof again & object, 'late', { now: later })).to.equal(undefined);
    expect(await failJob(db, again as NonNullable<typeof again>, 'boom', { now: later })).to.deep.equal({
      status: 'failed',
    });
    const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
    expect(row).to.include({ status: 'failed', lastError: 'boom', attempts: 2 });
  });
});

describe('event task loops', () => {
  it('does not start event tasks from what a task run did (a task inviting users on users.user_created runs once)', async () => {
    const script = scriptedModel([
      { tools: [{ name: 'users_invite', args: { email: 'loop1@bizosaas.test', name: 'Loop One' } }] },
      { text: 'Invited.' },
      { tools: [{ name: 'users_invite', args: { email: 'loop2@bizosaas.test', name: 'Loop Two' } }] },
      { text: 'Invited again.' },
    ]);
    const world = await startWorld({}, { model: script.model });
    try {
      const ops = await world.as('ops@bizosaas.test');
      const { task } = (await world.platform.gateway.callTool(ops, 'agents_create_task', {
        name: 'welcome buddy',
        instruction: 'Invite a buddy for every new user.',
        event: 'users.user_created',
      })) as { task: { id: string } };
      await world.platform.gateway.callTool(ops, 'users_invite', {
        email: 'first@bizosaas.test',
        name: 'First One',
      });
      for (let i = 0; i < 3; i++) await world.platform.automation.tick();
      const runs = await world.database.db.select().from(taskRuns).where(eq(taskRuns.taskId, task.id));
      expect(runs).to.have.length(1);
    } finally {
      await world.close();
    }
  });
});
