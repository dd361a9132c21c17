import { z } from 'zod';
import { ERROR_CODES } from '../../core/errors.ts';
import { defineTool, READ_ONLY, type ToolCall } from '../kit/tool.ts';
import { searchAudit } from './service.ts';

const DAY_MS = 86_400_000;
const dateInput = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .describe('An ISO 8601 date (2026-01-31) or date-time (2026-01-31T09:00:00Z).');
const userRef = z.string().trim().min(1).max(254).describe('The user: their id (usr_…) or email address.');
const page = z.number().int().min(1).max(10_000).default(1).describe('Page number, from 1.');
const pageSize = z.number().int().min(1).max(100).default(25).describe('Records per page (1–100).');

/** A date-only `to` means "through the end of that day". */
function range(from?: string, to?: string) {
  const start = from ? new Date(from) : undefined;
  const end = to ? new Date(to.length === 10 ? new Date(to).getTime() + DAY_MS : to) : undefined;
  return { from: start, to: end };
}

/** The user id behind an id or email, resolved by the users server so its scope rules apply. */
async function resolveUserId(call: ToolCall, ref: string): Promise<string> {
  const result = (await call.callTool('users_get', { user: ref })) as { user: { id: string } };
  return result.user.id;
}

export const auditTools = [
  defineTool({
    name: 'search',
    title: 'Search the audit log',
    description:
      'Search audit records you may read, newest first: filter by free text (tool, target, emails, error), tool name, ' +
      'outcome (ok or an error code such as forbidden), user, and date range.',
    input: z.strictObject({
      query: z.string().trim().max(200).optional().describe('Text to look for.'),
      tool: z
        .string()
        .trim()
        .max(100)
        .optional()
        .describe('Tool name or part of it, e.g. users_set_role or set_role.'),
      outcome: z
        .enum(['ok', ...ERROR_CODES])
        .optional()
        .describe('How the call ended.'),
      user: userRef.optional(),
      from: dateInput.optional(),
      to: dateInput.optional(),
      page,
      pageSize,
    }),
    access: { permission: 'audit.read', scope: 'tenant' },
    annotations: READ_ONLY,
    handler: async (args, call) => {
      const userId = args.user ? await resolveUserId(call, args.user) : undefined;
      return call.transaction((tx) =>
        searchAudit(tx, { ...args, ...range(args.from, args.to), userId }, call.ctx),
      );
    },
  }),
  defineTool({
    name: 'user_timeline',
    title: "A user's activity timeline",
    description:
      "One user's history, newest first: what they did, and what was done while someone viewed the platform as " +
      'them. Filter by action (tool name or part of it, e.g. set_role) and date range.',
    input: z.strictObject({
      user: userRef,
      from: dateInput.optional(),
      to: dateInput.optional(),
      action: z.string().trim().max(100).optional().describe('Tool name or part of it, e.g. update_profile.'),
      page,
      pageSize,
    }),
    access: { permission: 'audit.read', scope: 'tenant' },
    annotations: READ_ONLY,
    handler: async (args, call) => {
      const userId = await resolveUserId(call, args.user);
      return call.transaction((tx) =>
        searchAudit(
          tx,
          {
            userId,
            tool: args.action,
            ...range(args.from, args.to),
            page: args.page,
            pageSize: args.pageSize,
          },
          call.ctx,
        ),
      );
    },
  }),
];
