import { jsonSchema, type ToolSet, tool } from 'ai';
import type { Gateway, ToolInfo } from '../gateway/call-tool.ts';
import type { Principal } from '../gateway/principal.ts';
import { allowedBy } from './tool-patterns.ts';

export interface ToolSetOptions {
  /** The agent's allow-list: the caller's tools are narrowed to these patterns. */
  allow: readonly string[];
  /** Every write waits for approval, not only destructive tools (the user's setting). */
  approveWrites: boolean;
}

/** Whether a call to this tool must wait for the person to approve it. */
export function needsApproval(info: Pick<ToolInfo, 'annotations'>, approveWrites: boolean): boolean {
  if (info.annotations.readOnlyHint) return false;
  return info.annotations.destructiveHint === true || approveWrites;
}

/**
 * The agent's tools: exactly the caller's tools from the gateway (so an agent can never do more
 * than its user), narrowed by the agent's allow-list. Every execution is `gateway.callTool` with
 * the caller's principal; a refusal comes back to the model as a tool error it can explain.
 */
export function gatewayToolSet(gateway: Gateway, principal: Principal, options: ToolSetOptions): ToolSet {
  const tools: ToolSet = {};
  for (const info of gateway.listTools(principal)) {
    if (!allowedBy(info.name, options.allow)) continue;
    tools[info.name] = tool({
      description: info.description,
      inputSchema: jsonSchema(info.inputSchema as Parameters<typeof jsonSchema>[0]),
      needsApproval: needsApproval(info, options.approveWrites),
      execute: (args: unknown) =>
        gateway.callTool(principal, info.name, (args ?? {}) as Record<string, unknown>),
    });
  }
  return tools;
}
