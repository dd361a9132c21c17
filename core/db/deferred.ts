import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';

/**
 * Marks a statement whose result nobody reads (setting the transaction's scope, appending an
 * audit record). On PGlite it waits and travels with the transaction's next statement or its
 * COMMIT, saving a round trip; its error, if any, surfaces there and rolls the transaction
 * back. On a Postgres server it is an ordinary comment and the statement runs at once.
 */
export const DEFERRED = '/* deferred */';

/** The statement, marked to travel with the next one (see `DEFERRED`). */
export function deferred(statement: SQLWrapper): SQL {
  // The statement's own SQL: a query builder embedded as is would be wrapped as a subquery.
  return sql`${sql.raw(DEFERRED)} ${statement.getSQL()}`;
}
