import { z } from 'zod';
import { defineTool, writes } from '../../kit/tool.ts';
import * as input from '../inputs.ts';
import { inviteUser, setFeatures, setRole } from '../service.ts';
import { auditTargetUser } from './audit-target.ts';

/** Who belongs, with which role and rights. `publicUrl` is where invitation links point. */
export function membershipTools(options: { publicUrl: string }) {
  return [
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
      annotations: writes(),
      handler: (args, call) =>
        call.transaction(async (tx) => {
          const result = await inviteUser(tx, call.ctx, args, options.publicUrl);
          auditTargetUser(call, result.user);
          return result;
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
      annotations: writes({ idempotent: true }),
      handler: (args, call) =>
        call.transaction(async (tx) => {
          const user = await setRole(tx, call.ctx, args);
          auditTargetUser(call, user);
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
      annotations: writes({ idempotent: true }),
      handler: (args, call) =>
        call.transaction(async (tx) => {
          const user = await setFeatures(tx, call.ctx, args);
          auditTargetUser(call, user);
          return { user };
        }),
    }),
  ];
}
