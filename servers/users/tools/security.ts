import type { ToolDefinition } from '../../kit/tool.ts';
import type { UsersServerOptions } from '../index.ts';

/** The security centre: password and MFA. */
export function securityTools(_options: UsersServerOptions): ToolDefinition[] {
  return [];
}
