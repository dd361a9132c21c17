import { z } from 'zod';
import { defineTool, writes } from '../../kit/tool.ts';
import { endImpersonation, startImpersonation } from '../impersonation.ts';
import * as input from '../inputs.ts';

/** "View As": super admins see the platform as another user, for support and debugging. */
export function impersonationTools(options: { impersonationKey: Uint8Array }) {
  return [
    defineTool({
      name: 'impersonate',
      title: 'View as another user',
      description:
        'Super admins only: get a 15-minute token to act as another user ("View As"), sent as Authorization: Bearer. ' +
        'While impersonating, role, password, MFA, session and API key changes are refused and every call is audited ' +
        'with both identities. Super admins cannot be impersonated.',
      input: z.strictObject({ user: input.userRef }),
      access: { permission: 'users.impersonate', scope: 'platform', sensitive: true },
      annotations: writes(),
      handler: (args, call) =>
        call.transaction(async (tx) => {
          const result = await startImpersonation(tx, call.ctx, args.user, options.impersonationKey);
          call.audit.target = result.subject.id;
          call.audit.tenantId = result.subject.tenantId;
          return result;
        }),
    }),
    defineTool({
      name: 'end_impersonation',
      title: 'Stop viewing as another user',
      description:
        'End "View As": the impersonation behind this call, or all of yours when called from your own session.',
      input: z.strictObject({}),
      access: { permission: 'profile.self', scope: 'self' },
      annotations: writes({ idempotent: true }),
      handler: (_args, call) =>
        call.transaction(async (tx) => {
          const result = await endImpersonation(tx, call.ctx);
          if (result.tenantId) call.audit.tenantId = result.tenantId;
          return { ended: result.ended };
        }),
    }),
  ];
}
