import { z } from 'zod';
import { defineTool, writes } from '../../kit/tool.ts';
import * as input from '../inputs.ts';
import { updateProfile } from '../service.ts';
import { auditTargetUser } from './audit-target.ts';

/** A person's own details. */
export const profileTools = [
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
    annotations: writes({ idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const user = await updateProfile(tx, call.ctx, args);
        auditTargetUser(call, user);
        return { user };
      }),
  }),
];
