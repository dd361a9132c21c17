import type { ToolDefinition } from '../../kit/tool.ts';

export const sessionTools: ToolDefinition[] = [];
