import { and, asc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/connection.ts';
import { newId } from '../ids.ts';
import { jobs } from './schema.ts';

/**
 * The durable job queue on the `jobs` table. Every function runs on the owner connection (the
 * application role cannot see the table). Claims use `FOR UPDATE SKIP LOCKED`, so any number of
 * workers, in any number of processes on one Postgres, never hold the same job at once.
 */

export type Job = typeof jobs.$inferSelect;

/** The first retry waits this long, each next one twice as long, up to `MAX_BACKOFF_MS`. */
export const BASE_BACKOFF_MS = 5_000;
export const MAX_BACKOFF_MS = 10 * 60_000;

/** How long a failed job waits before its next attempt, after `attempts` attempts (2^n × 5 s, capped). */
export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 2 ** attempts * BASE_BACKOFF_MS);
}

/** Queues a job; pass a transaction to queue it only if that transaction commits. */
export async function enqueueJob(
  db: Db | Tx,
  job: {
    tenantId: string;
    kind: string;
    payload?: Record<string, unknown>;
    runAt?: Date;
    maxAttempts?: number;
  },
): Promise<string> {
  const id = newId('job');
  await db.insert(jobs).values({
    id,
    tenantId: job.tenantId,
    kind: job.kind,
    payload: job.payload ?? {},
    runAt: job.runAt ?? new Date(),
    ...(job.maxAttempts ? { maxAttempts: job.maxAttempts } : {}),
  });
  return id;
}

/**
 * Takes up to `limit` jobs that are due (queued with `runAt` reached), or whose worker's lock ran
 * out (a crashed or stopped process), marks them running until `now + lockMs` and counts the
 * attempt. Jobs another transaction is claiming are skipped, not waited for.
 */
export async function claimJobs(
  db: Db,
  options: { limit: number; lockMs: number; kinds?: readonly string[]; now?: Date },
): Promise<Job[]> {
  if (options.limit <= 0) return [];
  const now = options.now ?? new Date();
  const claimable = or(
    and(eq(jobs.status, 'queued'), lte(jobs.runAt, now)),
    and(eq(jobs.status, 'running'), lt(jobs.lockedUntil, now)),
  );
  const where = options.kinds?.length ? and(claimable, inArray(jobs.kind, [...options.kinds])) : claimable;
  return db.transaction(async (tx) => {
    const picked = await tx
      .select({ id: jobs.id })
      .from(jobs)
      .where(where)
      .orderBy(asc(jobs.runAt), asc(jobs.id))
      .limit(options.limit)
      .for('update', { skipLocked: true });
    if (!picked.length) return [];
    return tx
      .update(jobs)
      .set({
        status: 'running',
        attempts: sql`${jobs.attempts} + 1`,
        lockedUntil: new Date(now.getTime() + options.lockMs),
      })
      .where(
        inArray(
          jobs.id,
          picked.map((p) => p.id),
        ),
      )
      .returning();
  });
}

// A job is still ours while it runs under the attempt we claimed; after a lost lock it is another worker's.
const heldBy = (job: Job) =>
  and(eq(jobs.id, job.id), eq(jobs.status, 'running'), eq(jobs.attempts, job.attempts));

/** Keeps claimed jobs locked while they run (a long agent turn must not be claimed again). */
export async function extendJobLocks(db: Db, held: readonly Job[], lockMs: number, now = new Date()) {
  if (!held.length) return;
  await db
    .update(jobs)
    .set({ lockedUntil: new Date(now.getTime() + lockMs) })
    .where(
      and(
        eq(jobs.status, 'running'),
        inArray(
          jobs.id,
          held.map((j) => j.id),
        ),
      ),
    );
}

/**
 * Marks a claimed job done. False when the job was no longer this worker's (its lock ran out and
 * another worker claimed it): then the caller must not record an outcome either.
 */
export async function completeJob(db: Db | Tx, job: Job, now = new Date()): Promise<boolean> {
  const done = await db
    .update(jobs)
    .set({ status: 'done', finishedAt: now, lockedUntil: null })
    .where(heldBy(job))
    .returning({ id: jobs.id });
  return done.length > 0;
}

/**
 * Records a failed attempt: the job is queued again after the backoff, or, with its attempts
 * spent (or `permanent`: retrying cannot help), marked failed. Returns what became of it, or
 * undefined when the job was no longer this worker's.
 */
export async function failJob(
  db: Db | Tx,
  job: Job,
  error: string,
  options: { now?: Date; permanent?: boolean } = {},
): Promise<{ status: 'queued' | 'failed'; runAt?: Date } | undefined> {
  const now = options.now ?? new Date();
  const lastError = error.slice(0, 2000);
  const final = options.permanent || job.attempts >= job.maxAttempts;
  const runAt = new Date(now.getTime() + backoffMs(job.attempts));
  const updated = await db
    .update(jobs)
    .set(
      final
        ? { status: 'failed', lastError, finishedAt: now, lockedUntil: null }
        : { status: 'queued', lastError, runAt, lockedUntil: null },
    )
    .where(heldBy(job))
    .returning({ id: jobs.id });
  if (!updated.length) return undefined;
  return final ? { status: 'failed' } : { status: 'queued', runAt };
}
