import { z } from 'zod';
import { defineTool, READ_ONLY, type ToolCall, type ToolDefinition, writes } from '../../kit/tool.ts';
import { attemptLimit } from '../attempt-limit.ts';
import type { UsersServerOptions } from '../index.ts';
import { confirmMfa, disableMfa, enrollMfa, type MfaDeps, mfaStatus } from '../mfa.ts';
import { changeOwnPassword } from '../password-change.ts';
import { MIN_PASSWORD_LENGTH } from '../passwords.ts';

const MAX_PASSWORD_LENGTH = 1024;
const WRONG_SECRET_WINDOW_MS = 15 * 60_000;

const totpCode = z
  .string()
  .trim()
  .regex(/^\d{3} ?\d{3}$/, 'must be the 6-digit code your authenticator app shows')
  .describe('The 6-digit code your authenticator app shows now.');
const secondFactorCode = z
  .string()
  .trim()
  .min(6)
  .max(32)
  .describe('A current 6-digit code from your authenticator app, or one of your unused recovery codes.');

function auditSelf(call: ToolCall): void {
  call.audit.target = call.ctx.userId;
  call.audit.tenantId = call.ctx.tenantId;
}

/**
 * The security centre: the caller's own password and two-factor authentication. Every tool acts on
 * the caller only (there is no `user` argument) and, changing credentials, none is allowed while
 * viewing as someone else.
 */
export function securityTools(options: UsersServerOptions): ToolDefinition[] {
  // Wrong passwords and codes, per user: enough for typos, far too few to guess a 6-digit code.
  const attempts = attemptLimit({
    max: 10,
    windowMs: WRONG_SECRET_WINDOW_MS,
    message: 'Too many wrong passwords or codes; wait 15 minutes and try again.',
  });
  const mfa: MfaDeps = { key: options.credentialsKey, attempts };
  return [
    defineTool({
      name: 'change_password',
      title: 'Change your password',
      description:
        'Change your own password; your current password is required. Signs you out everywhere else (this session ' +
        'stays) and ends a pending password reset.',
      input: z.strictObject({
        currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH).describe('Your current password.'),
        newPassword: z
          .string()
          .min(MIN_PASSWORD_LENGTH)
          .max(MAX_PASSWORD_LENGTH)
          .describe(`The new password: ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters.`),
      }),
      access: { permission: 'profile.self', scope: 'self', sensitive: true, whileResetPending: true },
      annotations: writes(),
      handler: (args, call) =>
        call.transaction(async (tx) => {
          auditSelf(call);
          return changeOwnPassword(tx, call.ctx, attempts, args);
        }),
    }),
    defineTool({
      name: 'mfa_status',
      title: 'Two-factor authentication status',
      description:
        'Whether your two-factor authentication is on, since when, and how many recovery codes are left.',
      input: z.strictObject({}),
      access: { permission: 'profile.self', scope: 'self' },
      annotations: READ_ONLY,
      handler: (_args, call) => call.transaction((tx) => mfaStatus(tx, call.ctx)),
    }),
    defineTool({
      name: 'mfa_enroll',
      title: 'Set up two-factor authentication',
      description:
        'Start turning on two-factor authentication for yourself: answers an otpauth:// URI, its QR code (a data ' +
        'URL) and the secret, for an authenticator app. Then confirm with users_mfa_confirm and the code it shows.',
      input: z.strictObject({}),
      access: { permission: 'profile.self', scope: 'self', sensitive: true },
      annotations: writes(),
      handler: (_args, call) =>
        call.transaction(async (tx) => {
          auditSelf(call);
          return enrollMfa(tx, call.ctx, mfa);
        }),
    }),
    defineTool({
      name: 'mfa_confirm',
      title: 'Confirm two-factor authentication',
      description:
        'Turn on two-factor authentication with the first code from the authenticator app you enrolled; answers ten ' +
        'single-use recovery codes, shown only this once.',
      input: z.strictObject({ code: totpCode }),
      access: { permission: 'profile.self', scope: 'self', sensitive: true },
      annotations: writes(),
      handler: (args, call) =>
        call.transaction(async (tx) => {
          auditSelf(call);
          return confirmMfa(tx, call.ctx, mfa, args.code);
        }),
    }),
    defineTool({
      name: 'mfa_disable',
      title: 'Turn off two-factor authentication',
      description:
        'Turn off your two-factor authentication, proven with a current code from your authenticator app or an ' +
        'unused recovery code. Your recovery codes are deleted.',
      input: z.strictObject({ code: secondFactorCode }),
      access: { permission: 'profile.self', scope: 'self', sensitive: true },
      annotations: writes({ destructive: true }),
      handler: (args, call) =>
        call.transaction(async (tx) => {
          auditSelf(call);
          return disableMfa(tx, call.ctx, mfa, args.code);
        }),
    }),
  ];
}
