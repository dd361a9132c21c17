import type { Db } from '../db/connection.ts';
import type { Logger } from '../logger.ts';
import { type AuditEntry, appendAuditBatch } from './record.ts';

export interface AuditBatcher {
  /** Queues a record; it is written within `flushMs`, or sooner when the batch fills. */
  push(entry: AuditEntry): void;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** Flushes and stops the timer (on shutdown). */
  close(): Promise<void>;
  readonly pending: number;
}

/**
 * Audit for reads and refusals: one insert per batch instead of one per call. Writes are not
 * batched; their record commits in the same transaction as the change.
 */
export function createAuditBatcher(
  db: Db,
  log: Logger,
  options: { flushMs?: number; maxBatch?: number } = {},
): AuditBatcher {
  const flushMs = options.flushMs ?? 1000;
  const maxBatch = options.maxBatch ?? 500;
  let queue: AuditEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const writeOut = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return inFlight;
    const batch = queue;
    queue = [];
    inFlight = inFlight
      .then(() => appendAuditBatch(db, batch))
      .catch((error: unknown) => log.error({ err: error, lost: batch.length }, 'audit batch write failed'));
    return inFlight;
  };

  return {
    push(entry) {
      queue.push(entry);
      if (queue.length >= maxBatch) void writeOut();
      else if (!timer) {
        timer = setTimeout(() => void writeOut(), flushMs);
        timer.unref();
      }
    },
    flush: writeOut,
    close: writeOut,
    get pending() {
      return queue.length;
    },
  };
}
