import { z } from 'zod';
import { defineTool } from '../kit/tool.ts';
import * as input from './inputs.ts';
import { getUser, inviteUser, listUsers, setFeatures, setRole, updateProfile } from './service.ts';

/** The users server's MCP surface. `publicUrl` is where invitation links point. */
export function userTools(options: { publicUrl: string }) {
  return [
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
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      handler: (args, call) => call.transaction((tx) => listUsers(tx, call.ctx, args)),
    }),
    defineTool({
      name: 'get',
      title: 'Get a user',
      description: "Show one user's profile, role, tenant and feature toggles.",
      input: z.strictObject({ user: input.userRef }),
      access: { permission: 'users.read', scope: 'tenant' },
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
      handler: async (args, call) => ({ user: await call.transaction((tx) => getUser(tx, call.ctx, args.user)) }),
    }),
    defineTool({
      name: 'invite',
      title: 'Invite a user',
      description:
        'Invite a new user by email: creates the account (status invited) in a tenant with a role, and returns a ' +
        'one-time link for them to set a password. Defaults: role client, your own tenant.',
      input: z.strictObject({
        email: input.email,
        name: input.personName,
        role: input.role.default('client'),
        tenant: input.tenantRef.optional(),
        jobTitle: input.jobTitle.optional(),
        phone: input.phone.optional(),
      }),
      access: { permission: 'users.write', scope: 'tenant' },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
      handler: (args, call) =>
        call.transaction(async (tx) => {
          const result = await inviteUser(tx, call.ctx, args, options.publicUrl);
          call.audit.target = result.user.id;
          call.audit.tenantId = result.user.tenant?.id;
          return result;
        }),
    }),
    defineTool({
      name: 'update_profile',
      title: 'Update a profile',
      description:
        "Change a user's name, phone or job title. Without `user` it changes your own profile; changing someone " +
        "else's needs the right to manage them.",
      input: z
        .strictObject({
          user: input.userRef.optional().describe('The user to change (id or email); omit for yourself.'),
          name: input.personName.optional(),
          phone: input.phone.optional(),
          jobTitle: input.jobTitle.optional(),
        })
        .refine((v) => v.name !== undefined || v.phone !== undefined || v.jobTitle !== undefined, {
          message: 'give at least one of name, phone, jobTitle',
        }),
      access: { permission: 'profile.self', scope: 'self' },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      handler: (args, call) =>
        call.transaction(async (tx) => {
          const user = await updateProfile(tx, call.ctx, args);
          call.audit.target = user.id;
          call.audit.tenantId = user.tenant?.id;
          return { user };
        }),
    }),
    defineTool({
      name: 'set_role',
      title: "Change a user's role",
      description:
        'Promote or demote a user (client, partner, sub_admin, admin, super_admin). Nobody changes their own role; ' +
        'only a super admin grants or removes admin and super_admin; partners manage only clients of their client ' +
        'businesses. For sub_admin, `scopes` lists the tenants and registry categories they look after.',
      input: z.strictObject({
        user: input.userRef,
        role: input.role,
        scopes: z
          .strictObject({
            tenants: z.array(input.tenantRef).max(200).optional(),
            categories: z.array(z.string().trim().min(1).max(80)).max(50).optional(),
          })
          .optional()
          .describe('For sub_admin only: the tenants (ids or slugs) and registry categories in their scope.'),
      }),
      access: { permission: 'users.roles', scope: 'tenant', sensitive: true },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      handler: (args, call) =>
        call.transaction(async (tx) => {
          const user = await setRole(tx, call.ctx, args);
          call.audit.target = user.id;
          call.audit.tenantId = user.tenant?.id;
          return { user };
        }),
    }),
    defineTool({
      name: 'set_features',
      title: 'Turn features on or off',
      description:
        'Enable or disable feature groups for a user (ai, crm, reviews, analytics, billing). A disabled feature ' +
        "hides that group's tools from the user and refuses them.",
      input: z.strictObject({ user: input.userRef, features: input.featureToggles }),
      access: { permission: 'users.features', scope: 'tenant', sensitive: true },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      handler: (args, call) =>
        call.transaction(async (tx) => {
          const user = await setFeatures(tx, call.ctx, args);
          call.audit.target = user.id;
          call.audit.tenantId = user.tenant?.id;
          return { user };
        }),
    }),
  ];
}
