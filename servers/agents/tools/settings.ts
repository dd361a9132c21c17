import { z } from 'zod';
import { dateInput, dateRange } from '../../kit/common-inputs.ts';
import { defineTool, READ_ONLY, writes } from '../../kit/tool.ts';
import { getSettings, setSettings } from '../settings.ts';
import { usageSummary } from '../usage.ts';

/** A person's agent settings, and the tenant's metered usage. */
export const settingTools = [
  defineTool({
    name: 'get_settings',
    title: 'Your agent settings',
    description: 'Whether agents must ask before every change they make for you (not only destructive ones).',
    input: z.strictObject({}),
    access: { permission: 'agents.use', feature: 'ai', scope: 'self' },
    annotations: READ_ONLY,
    handler: async (_args, call) => ({ settings: await call.transaction((tx) => getSettings(tx, call.ctx)) }),
  }),
  defineTool({
    name: 'set_settings',
    title: 'Change your agent settings',
    description:
      'approveWrites: true makes agents wait for your approval before every change, not only destructive ones.',
    input: z.strictObject({ approveWrites: z.boolean().describe('Ask before every write.') }),
    access: { permission: 'agents.use', feature: 'ai', scope: 'self' },
    annotations: writes({ idempotent: true }),
    handler: async (args, call) => ({
      settings: await call.transaction((tx) => setSettings(tx, call.ctx, args)),
    }),
  }),
  defineTool({
    name: 'usage',
    title: 'Agent usage',
    description: 'Your organisation’s agent runs, tokens and tool calls in a period, in total and by model.',
    input: z.strictObject({ from: dateInput.optional(), to: dateInput.optional() }),
    access: { permission: 'agents.manage', scope: 'tenant' },
    annotations: READ_ONLY,
    handler: (args, call) =>
      call.transaction((tx) => usageSummary(tx, call.ctx, dateRange(args.from, args.to))),
  }),
];
