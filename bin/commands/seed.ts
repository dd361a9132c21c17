import { parseArgs } from 'node:util';
import type { Config } from '../../core/config.ts';
import { AppError } from '../../core/errors.ts';
import { runOperator } from '../operator-link.ts';

/** `bizosaas seed --demo`: the demo tenants and users, created or brought back to their demo state. */
export async function seedCommand(config: Config, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { demo: { type: 'boolean', default: false } } });
  if (!values.demo) throw new AppError('bad_request', 'Usage: bizosaas seed --demo');
  const result = await runOperator(config, 'seed.demo', {});
  console.log(
    `Demo data loaded: ${result.tenants} tenants, ${result.users} users (password in servers/users/demo.json).`,
  );
}
