import { z } from 'zod';
import { defineTool, READ_ONLY, writes } from '../../kit/tool.ts';
import * as input from '../inputs.ts';
import { forcePasswordReset, listSessions, revokeSessions, signOutOtherSessions } from '../sessions.ts';

const sessionId = z
  .string()
  .trim()
  .regex(/^ses_[0-9A-Z]{26}$/, 'must be a session id such as ses_01J…')
  .describe('One session (ses_…); omit to end all of them.');

/** Session lifecycle: who is signed in where, and ending it. */
export const sessionTools = [
  defineTool({
    name: 'list_sessions',
    title: 'List active sessions',
    description:
      'Active sign-ins (device, browser, system, IP, created, last seen) — yours, with the one you are using marked ' +
      'current, or those of a user you manage.',
    input: z.strictObject({
      user: input.userRef.optional().describe('Whose sessions (id or email); omit for your own.'),
    }),
    access: { permission: 'profile.self', scope: 'self' },
    annotations: READ_ONLY,
    handler: (args, call) => call.transaction((tx) => listSessions(tx, call.ctx, args.user)),
  }),
  defineTool({
    name: 'revoke_sessions',
    title: 'Revoke sessions',
    description:
      'Sign a user out: one session by id, or all of them. Takes effect on their very next request. For compromised ' +
      'accounts and offboarding.',
    input: z.strictObject({
      user: input.userRef.optional().describe('Whose sessions (id or email); omit for your own.'),
      sessionId: sessionId.optional(),
    }),
    access: { permission: 'profile.self', scope: 'self', sensitive: true },
    annotations: writes({ destructive: true, idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const result = await revokeSessions(tx, call.ctx, args);
        call.audit.target = args.sessionId ?? result.user.id;
        call.audit.tenantId = result.user.tenantId;
        return { user: { id: result.user.id, email: result.user.email }, revoked: result.revoked };
      }),
  }),
  defineTool({
    name: 'sign_out_other_sessions',
    title: 'Sign out other devices',
    description: 'End all your sessions except the one you are using now.',
    input: z.strictObject({}),
    access: { permission: 'profile.self', scope: 'self', sensitive: true },
    annotations: writes({ destructive: true, idempotent: true }),
    handler: (_args, call) => call.transaction((tx) => signOutOtherSessions(tx, call.ctx)),
  }),
  defineTool({
    name: 'force_password_reset',
    title: 'Force a password reset',
    description: 'Make a user choose a new password at their next sign-in, and sign them out everywhere now.',
    input: z.strictObject({ user: input.userRef }),
    access: { permission: 'users.write', scope: 'tenant', sensitive: true },
    annotations: writes({ destructive: true, idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const result = await forcePasswordReset(tx, call.ctx, args.user);
        call.audit.target = result.user.id;
        call.audit.tenantId = result.user.tenantId;
        return {
          user: { id: result.user.id, email: result.user.email },
          mustResetPassword: true,
          revokedSessions: result.revokedSessions,
        };
      }),
  }),
];
