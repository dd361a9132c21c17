/** Postgres SQLSTATE of an error from either driver (Drizzle wraps the driver's error as `cause`). */
function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** A unique constraint refused the row (the record already exists). */
export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';

/** Row-level security refused the row. */
export const isRlsViolation = (error: unknown) => sqlState(error) === '42501';
