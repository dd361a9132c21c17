import type { ToolCall } from '../../kit/tool.ts';
import type { UserView } from '../views.ts';

/** Names the user a write changed, and their tenant, in the call's audit record. */
export function auditTargetUser(call: ToolCall, user: UserView): void {
  call.audit.target = user.id;
  call.audit.tenantId = user.tenant?.id;
}
