import { defineServer } from '../kit/define-server.ts';
import { userTools } from './tools/index.ts';

export interface UsersServerOptions {
  /** Where invitation links point. */
  publicUrl: string;
  /** Encrypts MFA secrets at rest. */
  credentialsKey: Uint8Array;
  /** Signs "View As" impersonation tokens (the gateway verifies them with the same key). */
  impersonationKey: Uint8Array;
  /** Where avatar images are stored, and the largest image accepted. */
  avatarDir: string;
  avatarMaxBytes: number;
}

/** The users domain: tenants, people, roles, feature toggles, credentials, sessions and API keys. */
export function usersServer(options: UsersServerOptions) {
  return defineServer({
    name: 'users',
    version: '0.1.0',
    instructions: 'Manage platform users: directory, invitations, profiles, roles and feature toggles.',
    tools: userTools(options),
  });
}

export * as bootstrap from './bootstrap.ts';
export * as identity from './identity.ts';
