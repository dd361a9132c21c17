import { AppError } from '../../core/errors.ts';

/** Failed guesses of a secret (a password, a code) per key, within a window. */
export interface AttemptLimit {
  /** Throws `rate_limited` while the key has used up its failures. */
  assertAllowed(key: string): void;
  failed(key: string): void;
  succeeded(key: string): void;
}

/**
 * A 6-digit code can be guessed in a million tries, so checks of codes and passwords are limited
 * per user: past `max` failures, further attempts are refused until the window ends. In memory,
 * per process, like the login limiter.
 */
export function attemptLimit(options: { max: number; windowMs: number; message: string }): AttemptLimit {
  const failures = new Map<string, { count: number; resetAt: number }>();
  const live = (key: string, now: number) => {
    const entry = failures.get(key);
    if (entry && entry.resetAt <= now) {
      failures.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    assertAllowed(key) {
      if ((live(key, Date.now())?.count ?? 0) >= options.max)
        throw new AppError('rate_limited', options.message);
    },
    failed(key) {
      const now = Date.now();
      const entry = live(key, now);
      if (entry) {
        entry.count += 1;
        return;
      }
      for (const [k, e] of failures) if (e.resetAt <= now) failures.delete(k);
      failures.set(key, { count: 1, resetAt: now + options.windowMs });
    },
    succeeded(key) {
      failures.delete(key);
    },
  };
}
