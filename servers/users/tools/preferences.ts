import type { ToolDefinition } from '../../kit/tool.ts';
import type { UsersServerOptions } from '../index.ts';

/** Avatar, time zone and language, notification preferences. */
export function preferenceTools(_options: UsersServerOptions): ToolDefinition[] {
  return [];
}
