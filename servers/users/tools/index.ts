import { apiKeyTools } from './api-keys.ts';
import { directoryTools } from './directory.ts';
import { membershipTools } from './membership.ts';
import { profileTools } from './profile.ts';

/** The users server's MCP surface. */
export function userTools(options: { publicUrl: string }) {
  return [...directoryTools, ...membershipTools(options), ...profileTools, ...apiKeyTools];
}
