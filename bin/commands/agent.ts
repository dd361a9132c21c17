import { parseArgs } from 'node:util';
import type { Config } from '../../core/config.ts';
import { AppError } from '../../core/errors.ts';
import { runOperator } from '../operator-link.ts';

interface TurnOutput {
  reply: string;
  toolCalls: { name: string; args: unknown; ok: boolean; result?: unknown; error?: string }[];
  pendingApprovals: { approvalId: string; name: string; args: unknown }[];
}

/**
 * `bizosaas agent run --user EMAIL --message TEXT [--agent NAME] [--approve] [--json]`: one agent
 * turn as that user; prints the reply (or, with --json, the reply, tool calls and open approvals).
 */
export async function agentCommand(config: Config, argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      message: { type: 'string' },
      agent: { type: 'string' },
      approve: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const usage = 'Usage: bizosaas agent run --user EMAIL --message "TEXT" [--agent NAME] [--approve] [--json]';
  if (positionals[0] !== 'run') throw new AppError('bad_request', usage);
  if (!values.user || !values.message)
    throw new AppError('bad_request', `agent run needs --user and --message.\n${usage}`);
  const turn = (await runOperator(config, 'agent.run', {
    email: values.user,
    message: values.message,
    agent: values.agent,
    approve: values.approve,
  })) as unknown as TurnOutput;
  if (values.json) {
    console.log(
      JSON.stringify({
        reply: turn.reply,
        toolCalls: turn.toolCalls,
        pendingApprovals: turn.pendingApprovals,
      }),
    );
    return;
  }
  console.log(turn.reply);
  for (const call of turn.toolCalls)
    console.error(
      `  ${call.ok ? '✓' : '✗'} ${call.name} ${JSON.stringify(call.args)}${call.error ? ` — ${call.error}` : ''}`,
    );
  for (const p of turn.pendingApprovals)
    console.error(`  … ${p.name} ${JSON.stringify(p.args)} waits for approval (run again with --approve)`);
}
