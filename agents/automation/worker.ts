import PQueue from 'p-queue';
import type { Db } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { claimJobs, completeJob, extendJobLocks, failJob, type Job } from '../../core/jobs/queue.ts';
import type { Logger } from '../../core/logger.ts';
import { toPrincipal } from '../../gateway/principal.ts';
import { identity } from '../../servers/users/index.ts';
import { redactValue } from '../redact-secrets.ts';
import type { AgentRuntime, TurnResult } from '../runtime.ts';
import { loadRun, type RunUpdate, TASK_RUN_JOB, updateRun } from './runs.ts';

export interface TaskWorkerDeps {
  db: Db;
  agents: Pick<AgentRuntime, 'runTurn'>;
  log: Logger;
  /** Task runs one tenant may have going at once; the rest wait in that tenant's queue. */
  tenantConcurrency: number;
  /** Jobs this process holds at once, all tenants together. */
  maxInFlight: number;
  /** How long a claimed job stays locked; renewed while it runs. */
  lockMs: number;
}

/** Why a run did not finish: `permanent` when trying again cannot help. */
class RunFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

// Refusals (no right, no such agent, bad input) stay refusals on a retry; our faults and limits may pass.
const isPermanent = (error: unknown) =>
  error instanceof RunFailure
    ? error.permanent
    : error instanceof AppError && error.code !== 'internal' && error.code !== 'rate_limited';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The tool calls a run records: those made, then those left waiting for an approval nobody can give. */
function recordedCalls(turn: TurnResult): unknown[] {
  // A run's history is stored and listed: secrets in arguments and results do not go with it.
  const calls = redactValue(turn.toolCalls) as unknown[];
  return [
    ...calls,
    ...turn.pendingApprovals.map((p) => ({
      name: p.name,
      args: redactValue(p.args),
      ok: false,
      awaitingApproval: true,
      error:
        'Not run: it awaits approval, and a task never approves its own calls. Ask for it in a chat to approve it.',
    })),
  ];
}

/**
 * Runs `task.run` jobs: claims them from the queue, runs each through its tenant's queue as the
 * task's owner (loaded afresh: the owner's current rights, or a clean failure when the owner can
 * no longer act), and records the outcome on the run and the job, retrying with backoff.
 */
export function createTaskWorker(deps: TaskWorkerDeps) {
  const queues = new Map<string, PQueue>();
  const inFlight = new Map<string, { job: Job; done: Promise<void> }>();

  function queueFor(tenantId: string): PQueue {
    let queue = queues.get(tenantId);
    if (!queue) {
      queue = new PQueue({ concurrency: deps.tenantConcurrency });
      queues.set(tenantId, queue);
    }
    return queue;
  }

  function prompt(loaded: NonNullable<Awaited<ReturnType<typeof loadRun>>>): string {
    const { task, event } = loaded;
    if (!event) return task.instruction;
    return `Event ${event.name}: ${JSON.stringify(event.payload)}\n\n${task.instruction}`;
  }

  async function principalOf(ownerId: string, tenantId: string) {
    const record = await identity.loadPrincipal(deps.db, ownerId);
    if (!record || record.tenantId !== tenantId)
      throw new RunFailure(
        `The task's owner (${ownerId}) can no longer act (deactivated, removed or moved); the task cannot run.`,
        true,
      );
    // `task`: what the run causes is marked, so events it emits do not start event tasks again (no loops).
    return toPrincipal(record, { via: 'task' });
  }

  /** Records a run's outcome with its job's, in one transaction; nothing when the job was lost meanwhile. */
  async function settle(job: Job, runId: string, outcome: RunUpdate, error?: unknown, now = new Date()) {
    await deps.db.transaction(async (tx) => {
      if (error === undefined) {
        if (await completeJob(tx, job)) await updateRun(tx, runId, { ...outcome, finishedAt: new Date() });
        return;
      }
      const next = await failJob(tx, job, messageOf(error), { now, permanent: isPermanent(error) });
      if (!next) return;
      await updateRun(tx, runId, {
        ...outcome,
        status: next.status,
        error: messageOf(error),
        finishedAt: next.status === 'failed' ? new Date() : null,
      });
    });
  }

  async function run(job: Job, now: () => Date): Promise<void> {
    const runId = job.payload.taskRunId;
    if (typeof runId !== 'string') {
      await failJob(deps.db, job, 'The job names no task run.', { permanent: true });
      return;
    }
    const loaded = await loadRun(deps.db, runId);
    if (!loaded) {
      // The task was deleted with its runs; nothing is left to do or to record.
      await completeJob(deps.db, job);
      return;
    }
    const { task } = loaded;
    // Claimed again after its worker stopped, with no attempt left.
    if (job.attempts > job.maxAttempts)
      return settle(job, runId, {}, new RunFailure('The run was interrupted too often.', true), now());
    if (!task.enabled && loaded.run.trigger !== 'manual')
      return settle(
        job,
        runId,
        {},
        new RunFailure('The task was switched off before this run started.', true),
        now(),
      );

    await updateRun(deps.db, runId, {
      status: 'running',
      attempt: job.attempts,
      startedAt: new Date(),
      error: null,
    });
    try {
      const principal = await principalOf(task.ownerId, task.tenantId);
      const turn = await deps.agents.runTurn(principal, prompt(loaded), {
        agent: task.agent,
        approve: false,
        taskRunId: runId,
      });
      await settle(job, runId, {
        status: 'succeeded',
        reply: turn.reply,
        toolCalls: recordedCalls(turn),
        error: null,
      });
    } catch (error) {
      if (!(error instanceof AppError || error instanceof RunFailure))
        deps.log.warn({ err: error, task: task.id, run: runId, attempt: job.attempts }, 'task run failed');
      await settle(job, runId, {}, error, now());
    }
  }

  /** One job, through its tenant's queue; whatever happens, the job leaves the in-flight set. */
  function dispatch(job: Job, now: () => Date): Promise<void> {
    const done = queueFor(job.tenantId)
      .add(() => run(job, now))
      .catch((error: unknown) =>
        deps.log.error({ err: error, job: job.id }, 'task job could not be recorded'),
      )
      .finally(() => inFlight.delete(job.id));
    inFlight.set(job.id, { job, done });
    return done;
  }

  return {
    /** Claims what this process has room for and starts it; `done` settles when those jobs are finished. */
    async poll(now = new Date()): Promise<{ claimed: number; done: Promise<void> }> {
      const jobs = await claimJobs(deps.db, {
        limit: deps.maxInFlight - inFlight.size,
        lockMs: deps.lockMs,
        kinds: [TASK_RUN_JOB],
        now,
      });
      // The claim's clock (real, or the one a test passed to tick) moves on with real time from here.
      const claimed = Date.now();
      const clock = () => new Date(now.getTime() + Date.now() - claimed);
      const done = Promise.all(jobs.map((job) => dispatch(job, clock))).then(() => undefined);
      return { claimed: jobs.length, done };
    },
    /** Keeps the locks of the jobs in flight, so a long run is not claimed again by another worker. */
    renewLocks: () =>
      extendJobLocks(
        deps.db,
        [...inFlight.values()].map((f) => f.job),
        deps.lockMs,
      ),
    /** Resolves when every job this worker holds is finished. */
    async idle(): Promise<void> {
      while (inFlight.size) await Promise.all([...inFlight.values()].map((f) => f.done));
    },
  };
}

export type TaskWorker = ReturnType<typeof createTaskWorker>;
