import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { AppError } from '../core/errors.ts';
import { agentCommand } from './commands/agent.ts';
import { apikeyCommand } from './commands/apikey.ts';
import { migrateCommand } from './commands/migrate.ts';
import { seedCommand } from './commands/seed.ts';
import { serveCommand } from './commands/serve.ts';
import { startCommand } from './commands/start.ts';

const USAGE = `Usage: bizosaas <command> [options]

Commands:
  start                               run the platform (gateway, domain servers, HTTP on $PORT)
  migrate                             apply database migrations and exit
  apikey create --email E [--name N] [--json]
                                      print a new API key for that user
  seed --demo                         load the demo tenants and users
  agent run --user E --message T [--agent N] [--approve] [--json]
                                      one agent turn as that user; prints the reply
  serve <server> [--port P]           run one domain server over Streamable HTTP
  help                                show this

Configuration comes from the environment (see README): BIZOSAAS_DATA_DIR, DATABASE_URL, PORT, …
Commands work whether or not the platform is running on the same data directory.`;

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  start: () => startCommand(loadConfig()),
  migrate: () => migrateCommand(loadConfig()),
  apikey: (argv) => apikeyCommand(loadConfig(), argv),
  seed: (argv) => seedCommand(loadConfig(), argv),
  serve: (argv) => serveCommand(loadConfig(), argv),
  agent: (argv) => agentCommand(loadConfig(), argv),
};

async function main(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv.slice(0, 1), allowPositionals: true, strict: false });
  const name = positionals[0];
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return;
  }
  const command = commands[name];
  if (!command) throw new AppError('bad_request', `Unknown command "${name}".\n\n${USAGE}`);
  await command(argv.slice(1));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Operator-facing: the message, not a stack trace (unexpected errors keep theirs for a bug report).
  const usage = String((error as { code?: unknown })?.code ?? '').startsWith('ERR_PARSE_ARGS_');
  if (error instanceof AppError || usage) console.error(`bizosaas: ${(error as Error).message}`);
  else console.error(error);
  process.exitCode = usage || (error instanceof AppError && error.code === 'bad_request') ? 2 : 1;
});
