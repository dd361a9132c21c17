import type { Db } from '../../core/db/connection.ts';
import type { Logger } from '../../core/logger.ts';
import type { AgentRuntime } from '../runtime.ts';
import { dispatchEvents } from './event-dispatcher.ts';
import { fireDueTasks } from './scheduler.ts';
import { createTaskWorker } from './worker.ts';

/** Task runs one tenant may have going at once in a process: agent turns are slow and costly. */
export const TASK_CONCURRENCY_PER_TENANT = 2;
/** Jobs one process holds at once, all tenants together. */
export const MAX_JOBS_IN_FLIGHT = 16;
/** A claimed job's lock, renewed a few times per period while it runs. */
export const JOB_LOCK_MS = 5 * 60_000;

export interface AutomationDeps {
  db: Db;
  agents: Pick<AgentRuntime, 'runTurn'>;
  log: Logger;
  tenantConcurrency?: number;
  maxInFlight?: number;
  lockMs?: number;
  /** Domain housekeeping run each pass before events are dispatched (e.g. CRM tasks falling due). */
  sweeps?: ((db: Db, now: Date) => Promise<unknown>)[];
}

export interface TickResult {
  /** Scheduled tasks fired, events dispatched, jobs claimed and run. */
  fired: number;
  dispatched: number;
  ran: number;
}

/**
 * Task automation: fires due scheduled tasks, dispatches domain events to the tasks waiting for
 * them, and runs the queued runs as their owners. `tick` is one pass (tests call it, with a clock
 * of their own); `start` repeats it on a timer that never keeps the process alive.
 */
export function createAutomation(deps: AutomationDeps) {
  const lockMs = deps.lockMs ?? JOB_LOCK_MS;
  const worker = createTaskWorker({
    db: deps.db,
    agents: deps.agents,
    log: deps.log,
    tenantConcurrency: deps.tenantConcurrency ?? TASK_CONCURRENCY_PER_TENANT,
    maxInFlight: deps.maxInFlight ?? MAX_JOBS_IN_FLIGHT,
    lockMs,
  });
  let timers: NodeJS.Timeout[] = [];
  let pass: Promise<unknown> | undefined;

  /** Queues what is due and claims what can run; `done` settles when the claimed runs are finished. */
  async function queueAndClaim(now: Date) {
    const fired = await fireDueTasks(deps.db, deps.log, now);
    for (const sweep of deps.sweeps ?? []) await sweep(deps.db, now);
    const dispatched = await dispatchEvents(deps.db, now);
    const { claimed, done } = await worker.poll(now);
    return { fired, dispatched, ran: claimed, done };
  }

  function background(): void {
    if (pass) return;
    pass = queueAndClaim(new Date())
      .catch((error: unknown) => deps.log.error({ err: error }, 'task automation pass failed'))
      .finally(() => {
        pass = undefined;
      });
  }

  return {
    /** One pass, waiting for the runs it started; `now` stands in for the clock (tests). */
    async tick(now = new Date()): Promise<TickResult> {
      await pass;
      const { done, ...counts } = await queueAndClaim(now);
      await done;
      return counts;
    },
    /** Runs a pass now and every `intervalMs`, until `stop`. */
    start(intervalMs: number): void {
      if (timers.length) return;
      const renew = () =>
        void worker
          .renewLocks()
          .catch((error: unknown) => deps.log.warn({ err: error }, 'job locks not renewed'));
      timers = [setInterval(background, intervalMs), setInterval(renew, lockMs / 3)];
      for (const timer of timers) timer.unref();
      background();
    },
    /** Stops the timers and waits for the pass and the runs in flight to finish. */
    async stop(): Promise<void> {
      for (const timer of timers) clearInterval(timer);
      timers = [];
      await pass;
      await worker.idle();
    },
  };
}

export type Automation = ReturnType<typeof createAutomation>;
