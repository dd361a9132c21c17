import type { StepResult, ToolSet } from 'ai';

/** One tool call of a turn, as scripts and task run history see it. */
export interface ToolCallReport {
  name: string;
  args: unknown;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface PendingApproval {
  approvalId: string;
  name: string;
  args: unknown;
}

/** A finished tool execution as reported by the AI SDK's `experimental_onToolCallFinish`. */
export function toolCallReport(event: {
  toolCall: { toolName: string; input: unknown };
  success: boolean;
  output?: unknown;
  error?: unknown;
}): ToolCallReport {
  if (event.success)
    return { name: event.toolCall.toolName, args: event.toolCall.input, ok: true, result: event.output };
  const error = event.error instanceof Error ? event.error.message : String(event.error);
  return { name: event.toolCall.toolName, args: event.toolCall.input, ok: false, error };
}

/** Tool calls the model asked for that wait for the person's approval. */
export function pendingApprovalsOf(steps: readonly StepResult<ToolSet>[]): PendingApproval[] {
  const last = steps.at(-1);
  if (!last) return [];
  return last.content.flatMap((part) =>
    part.type === 'tool-approval-request'
      ? [{ approvalId: part.approvalId, name: part.toolCall.toolName, args: part.toolCall.input }]
      : [],
  );
}
