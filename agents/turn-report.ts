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

/** The tool calls of a turn's steps, with their results or errors, in order. */
export function toolCallsOf(steps: readonly StepResult<ToolSet>[]): ToolCallReport[] {
  const reports: ToolCallReport[] = [];
  for (const step of steps) {
    for (const part of step.content) {
      if (part.type === 'tool-result')
        reports.push({ name: part.toolName, args: part.input, ok: true, result: part.output });
      else if (part.type === 'tool-error') {
        const error = part.error instanceof Error ? part.error.message : String(part.error);
        reports.push({ name: part.toolName, args: part.input, ok: false, error });
      }
    }
  }
  return reports;
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
