import { z } from 'zod';
import { defineTool, READ_ONLY } from '../../kit/tool.ts';
import * as input from '../inputs.ts';
import { getUser, listUsers } from '../service.ts';

/** Finding people: the directory and one user. */
export const directoryTools = [
  defineTool({
    name: 'list',
    title: 'List users',
    description:
      'List and search users you can see (the global directory for staff; your client businesses for partners). ' +
      'Filter by text (name, email, job title), role, tenant and status; sorted and paged.',
    input: z.strictObject({
      query: z.string().trim().max(200).optional().describe('Text to look for in name, email or job title.'),
      role: input.role.optional(),
      tenant: input.tenantRef.optional(),
      status: z.enum(['active', 'invited', 'disabled']).optional().describe('Account status.'),
      sort: z.enum(['name', 'email', 'role', 'createdAt']).default('name').describe('Sort field.'),
      order: z.enum(['asc', 'desc']).default('asc').describe('Sort direction.'),
      page: input.page,
      pageSize: input.pageSize,
    }),
    access: { permission: 'users.read', scope: 'tenant' },
    annotations: READ_ONLY,
    handler: (args, call) => call.transaction((tx) => listUsers(tx, call.ctx, args)),
  }),
  defineTool({
    name: 'get',
    title: 'Get a user',
    description: "Show one user's profile, role, tenant and feature toggles.",
    input: z.strictObject({ user: input.userRef }),
    access: { permission: 'users.read', scope: 'tenant' },
    annotations: READ_ONLY,
    handler: async (args, call) => ({
      user: await call.transaction((tx) => getUser(tx, call.ctx, args.user)),
    }),
  }),
];
