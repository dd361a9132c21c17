import { type PGlite, parse, protocol, type QueryOptions, type Results } from '@electric-sql/pglite';

const { serialize } = protocol;

/** A statement prepared on the connection, by name, with the parameter types the server inferred. */
interface Prepared {
  name: string;
  paramTypes: number[];
}

/** A statement to run: its SQL and parameters (as PGlite's `query` takes them). */
export interface Statement {
  text: string;
  params?: unknown[] | undefined;
}

// Prepared before any transaction and never evicted: inside a failed transaction nothing can be prepared.
const CONTROL = ['BEGIN', 'COMMIT', 'ROLLBACK'];

// Commands after which cached plans may describe tables that changed shape: the cache starts over.
const SCHEMA_CHANGE = /^(CREATE|ALTER|DROP|COMMENT|GRANT|REVOKE|TRUNCATE)\b/;

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Marks a database error with the statement that raised it, as PGlite's own `query` does. */
function withQuery(error: unknown, statement: Statement): unknown {
  if (error && typeof error === 'object' && 'code' in error)
    Object.assign(error, { query: statement.text, params: statement.params });
  return error;
}

/**
 * Runs statements on PGlite in as few round trips as the protocol allows. PGlite's `query`
 * makes six calls into the database per statement (parse, describe, bind, describe, execute,
 * sync) and plans it afresh each time; here a statement is prepared once by name and then runs
 * as one bind-execute-sync message, and several statements can share that message. Parameters
 * are serialised exactly as PGlite does, by the types the server reported when preparing.
 * Callers hold PGlite's query lock.
 */
export function createStatementRunner(
  pg: PGlite,
  /** Statements kept prepared besides BEGIN, COMMIT and ROLLBACK. */
  options: { maxPrepared?: number } = {},
) {
  const maxPrepared = options.maxPrepared ?? 500;
  const prepared = new Map<string, Prepared>();
  let toClose: string[] = [];
  let counter = 0;

  async function send(parts: Uint8Array[]) {
    if (toClose.length > 0) {
      parts.unshift(...toClose.map((name) => serialize.close({ type: 'S', name })));
      toClose = [];
    }
    parts.push(serialize.sync());
    return pg.execProtocolStream(concat(parts), { syncToFs: false });
  }

  function forget(text: string) {
    const entry = prepared.get(text);
    if (!entry) return;
    prepared.delete(text);
    toClose.push(entry.name);
  }

  function forgetAllExceptControl() {
    for (const text of [...prepared.keys()]) if (!CONTROL.includes(text)) forget(text);
  }

  // A schema change that is rolled back changes the tables back under plans prepared since.
  let changedInTransaction = false;
  function forgetAllAfterSchemaChange(results: Results[]) {
    for (const { command } of results) {
      if (command && SCHEMA_CHANGE.test(command)) {
        forgetAllExceptControl();
        changedInTransaction = true;
      } else if (command === 'ROLLBACK' && changedInTransaction) forgetAllExceptControl();
      else if (command === 'COMMIT') changedInTransaction = false;
    }
  }

  function evictLeastRecentlyUsed() {
    for (const text of prepared.keys()) {
      if (CONTROL.includes(text)) continue;
      forget(text);
      return;
    }
  }

  let controlReady: Promise<unknown> | undefined;
  const prepareControl = () => {
    controlReady ??= (async () => {
      for (const text of CONTROL) await prepare({ text });
    })();
    return controlReady;
  };

  async function prepare(statement: Statement): Promise<Prepared> {
    const hit = prepared.get(statement.text);
    if (hit) {
      // Least recently used goes first when the cache is full.
      prepared.delete(statement.text);
      prepared.set(statement.text, hit);
      return hit;
    }
    counter += 1;
    const name = `bz_${counter}`;
    let messages: Awaited<ReturnType<typeof send>>;
    try {
      messages = await send([
        serialize.parse({ text: statement.text, name }),
        serialize.describe({ type: 'S', name }),
      ]);
    } catch (error) {
      throw withQuery(error, statement);
    }
    const entry = { name, paramTypes: parse.parseDescribeStatementResults(messages) };
    prepared.set(statement.text, entry);
    if (prepared.size > maxPrepared + CONTROL.length) evictLeastRecentlyUsed();
    return entry;
  }

  function bindExecute(entry: Prepared, params: unknown[] = []): Uint8Array[] {
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = pg.serializers[entry.paramTypes[i] as number];
      return serializer ? serializer(value) : (value as { toString(): string }).toString();
    });
    return [
      serialize.bind({ statement: entry.name, values: values as (string | null)[] }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
    ];
  }

  return {
    /**
     * Runs the statements in order in one round trip and returns each one's result. When one
     * fails the server skips the rest, and the error is thrown (naming the statement).
     */
    async run(statements: Statement[], queryOptions?: QueryOptions): Promise<Results[]> {
      await prepareControl();
      const entries: Prepared[] = [];
      for (const s of statements) entries.push(await prepare(s));
      const parts: Uint8Array[] = [];
      entries.forEach((entry, i) => {
        parts.push(...bindExecute(entry, statements[i]?.params));
      });
      let results: Results[];
      try {
        results = parse.parseResults(await send(parts), pg.parsers, queryOptions);
      } catch (error) {
        throw withQuery(error, {
          text: statements.map((st) => st.text).join(';\n'),
          params: statements.flatMap((st) => st.params ?? []),
        });
      }
      forgetAllAfterSchemaChange(results);
      return results;
    },
    /** Runs SQL text that may hold several statements (the simple protocol), as PGlite's `exec`. */
    async exec(text: string, queryOptions?: QueryOptions): Promise<Results[]> {
      let results: Results[];
      try {
        results = parse.parseResults(await send([serialize.query(text)]), pg.parsers, queryOptions);
      } catch (error) {
        throw withQuery(error, { text });
      }
      forgetAllAfterSchemaChange(results);
      return results;
    },
  };
}

export type StatementRunner = ReturnType<typeof createStatementRunner>;
