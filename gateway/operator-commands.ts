import { appendAudit } from '../core/audit/record.ts';
import type { Db } from '../core/db/connection.ts';
import { AppError } from '../core/errors.ts';
import demo from '../servers/users/demo.json' with { type: 'json' };
import { bootstrap, identity } from '../servers/users/index.ts';

/**
 * What an operator can do from the command line, with no user signed in. The same functions run
 * whether the CLI opened the database itself or asked the running server to do it.
 */
export const OPERATOR_COMMANDS = {
  async 'apikey.create'(db: Db, args: Record<string, unknown>) {
    if (typeof args.email !== 'string' || !args.email.includes('@')) {
      throw new AppError('bad_request', '--email must be the email address of an existing user.');
    }
    const name =
      typeof args.name === 'string' && args.name.trim() ? args.name.trim().slice(0, 80) : 'CLI key';
    return identity.createApiKeyFor(db, args.email, name);
  },
  async 'seed.demo'(db: Db) {
    return bootstrap.seedDemo(db, demo);
  },
} as const;

export type OperatorCommand = keyof typeof OPERATOR_COMMANDS;

export function isOperatorCommand(name: string): name is OperatorCommand {
  return Object.hasOwn(OPERATOR_COMMANDS, name);
}

/** Runs an operator command and records it in the audit log as a system action. */
export async function runOperatorCommand(
  db: Db,
  name: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (!isOperatorCommand(name)) throw new AppError('not_found', `Unknown operator command ${name}.`);
  const started = performance.now();
  try {
    const result = await OPERATOR_COMMANDS[name](db, args);
    const target = name === 'apikey.create' ? (result as { id: string }).id : null;
    await appendAudit(db, {
      via: 'system',
      tool: `cli_${name.replace('.', '_')}`,
      target,
      args: { ...args },
      outcome: 'ok',
      durationMs: performance.now() - started,
    });
    return result;
  } catch (error) {
    const code = error instanceof AppError ? error.code : 'internal';
    await appendAudit(db, {
      via: 'system',
      tool: `cli_${name.replace('.', '_')}`,
      args: { ...args },
      outcome: code,
      error: (error as Error).message,
      durationMs: performance.now() - started,
    });
    throw error;
  }
}
