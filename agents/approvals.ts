import type { UIMessage } from 'ai';
import type { AuditBatcher } from '../core/audit/batch-writer.ts';
import { auditIdentity } from '../core/audit/record.ts';
import type { Principal } from '../gateway/principal.ts';

/** A person's answer to an agent's request to run a tool. */
export interface ApprovalDecision {
  approvalId: string;
  tool: string;
  input: unknown;
  approved: boolean;
  reason?: string | undefined;
}

interface ToolPartLike {
  type: string;
  toolCallId?: string;
  state?: string;
  input?: unknown;
  toolName?: string;
  approval?: { id: string; approved?: boolean; reason?: string };
}

const toolNameOf = (part: ToolPartLike) => part.toolName ?? part.type.replace(/^tool-/, '');

/**
 * Approvals answered in `incoming` that were still open in `stored` (the same message as the
 * server last saved it), so each decision is recorded once, however often the client resends.
 */
export function newDecisions(
  stored: UIMessage | undefined,
  incoming: UIMessage | undefined,
): ApprovalDecision[] {
  if (incoming?.role !== 'assistant') return [];
  const open = new Set(
    ((stored?.parts ?? []) as ToolPartLike[])
      .filter((p) => p.state === 'approval-requested' && p.approval)
      .map((p) => p.approval?.id),
  );
  return (incoming.parts as ToolPartLike[])
    .filter((p) => p.state === 'approval-responded' && p.approval && open.has(p.approval.id))
    .map((p) => ({
      approvalId: p.approval?.id as string,
      tool: toolNameOf(p),
      input: p.input,
      approved: p.approval?.approved === true,
      reason: p.approval?.reason,
    }));
}

/** Records approvals and rejections: who decided, on which tool call, which way. */
export function auditDecisions(
  audit: AuditBatcher,
  principal: Principal,
  decisions: readonly ApprovalDecision[],
): void {
  for (const d of decisions) {
    audit.push({
      ...auditIdentity(principal),
      at: new Date(),
      tool: 'agent_approval',
      target: d.tool,
      args: {
        approvalId: d.approvalId,
        tool: d.tool,
        input: d.input as Record<string, unknown>,
        reason: d.reason,
      },
      outcome: d.approved ? 'approved' : 'rejected',
    });
  }
}
