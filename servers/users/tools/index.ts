import type { UsersServerOptions } from '../index.ts';
import { apiKeyTools } from './api-keys.ts';
import { directoryTools } from './directory.ts';
import { impersonationTools } from './impersonation.ts';
import { membershipTools } from './membership.ts';
import { preferenceTools } from './preferences.ts';
import { profileTools } from './profile.ts';
import { securityTools } from './security.ts';
import { sessionTools } from './sessions.ts';

/** The users server's MCP surface. */
export function userTools(options: UsersServerOptions) {
  return [
    ...directoryTools,
    ...membershipTools(options),
    ...profileTools,
    ...preferenceTools(options),
    ...apiKeyTools,
    ...sessionTools,
    ...securityTools(options),
    ...impersonationTools(options),
  ];
}
