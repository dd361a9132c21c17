import { parseArgs } from 'node:util';
import type { Config } from '../../core/config.ts';
import { AppError } from '../../core/errors.ts';
import { runOperator } from '../operator-link.ts';

/** `bizosaas apikey create --email E [--name N] [--json]`: prints the new key (only this once). */
export async function apikeyCommand(config: Config, argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals[0] !== 'create')
    throw new AppError('bad_request', 'Usage: bizosaas apikey create --email E [--name N] [--json]');
  if (!values.email)
    throw new AppError('bad_request', 'apikey create needs --email, the email of the user the key acts as.');
  const key = await runOperator(config, 'apikey.create', { email: values.email, name: values.name });
  if (values.json) console.log(JSON.stringify(key));
  else {
    console.log(key.key);
    console.error(`API key ${key.id} (${key.prefix}…) for ${values.email}: shown once, store it now.`);
  }
}
