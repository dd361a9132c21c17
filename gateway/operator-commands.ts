import type { AgentRuntime } from '../agents/runtime.ts';
import { appendAudit } from '../core/audit/record.ts';
import type { Db } from '../core/db/connection.ts';
import { migrationStatus } from '../core/db/migrate.ts';
import { AppError } from '../core/errors.ts';
import demo from '../servers/users/demo.json' with { type: 'json' };
import { bootstrap, identity } from '../servers/users/index.ts';
import { toPrincipal } from './principal.ts';

/**
 * What an operator can do from the command line, with no user signed in. The same functions run
 * whether the CLI opened the database itself or asked the running server to do it.
 */
export const OPERATOR_COMMANDS = {
  async 'apikey.create'({ db }: OperatorDeps, args: Record<string, unknown>) {
    if (typeof args.email !== 'string' || !args.email.includes('@')) {
      throw new AppError('bad_request', '--email must be the email address of an existing user.');
    }
    const name =
      typeof args.name === 'string' && args.name.trim() ? args.name.trim().slice(0, 80) : 'CLI key';
    return identity.createApiKeyFor(db, args.email, name);
  },
  async 'seed.demo'({ db }: OperatorDeps) {
    return bootstrap.seedDemo(db, demo);
  },
  /** How many of the committed migrations the database has (the server applies them when it starts). */
  async 'migrations.status'({ db }: OperatorDeps) {
    return migrationStatus(db);
  },
  /** One agent turn as a user (`bizosaas agent run`): the reply, the tool calls, open approvals. */
  async 'agent.run'({ db, agents }: OperatorDeps, args: Record<string, unknown>) {
    if (!agents) throw new AppError('internal', 'agent run needs the whole platform.');
    if (typeof args.email !== 'string' || !args.email.includes('@'))
      throw new AppError('bad_request', '--user must be the email of an existing user.');
    if (typeof args.message !== 'string' || !args.message.trim())
      throw new AppError('bad_request', '--message must be the text to send.');
    const userId = await identity.findUserIdByEmail(db, args.email);
    const record = userId ? await identity.loadPrincipal(db, userId) : undefined;
    if (!record) throw new AppError('not_found', `No active user with the email ${args.email}.`);
    const turn = await agents.runTurn(toPrincipal(record, { via: 'system' }), args.message, {
      agent: typeof args.agent === 'string' ? args.agent : undefined,
      approve: args.approve === true,
    });
    return { ...turn };
  },
} as const;

/** What operator commands run with: the database, and the agent runtime when the whole platform is up. */
export interface OperatorDeps {
  db: Db;
  agents?: AgentRuntime | undefined;
}

/** Commands that need the whole platform (domain servers, gateway, agents), not only the database. */
export const NEEDS_PLATFORM: ReadonlySet<string> = new Set(['agent.run']);

export type OperatorCommand = keyof typeof OPERATOR_COMMANDS;

export function isOperatorCommand(name: string): name is OperatorCommand {
  return Object.hasOwn(OPERATOR_COMMANDS, name);
}

/** Runs an operator command and records it in the audit log as a system action. */
export async function runOperatorCommand(
  deps: OperatorDeps,
  name: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (!isOperatorCommand(name)) throw new AppError('not_found', `Unknown operator command ${name}.`);
  const started = performance.now();
  try {
    const result = await OPERATOR_COMMANDS[name](deps, args);
    const target = name === 'apikey.create' ? (result as { id: string }).id : null;
    await appendAudit(deps.db, {
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
    await appendAudit(deps.db, {
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
