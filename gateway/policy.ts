import { AppError } from '../core/errors.ts';
import { roleHas, STAFF_ROLES } from '../core/roles.ts';
import type { ToolAccess } from '../servers/kit/tool.ts';
import type { Principal } from './principal.ts';

/**
 * The first wall: may this principal call a tool with these access rules at all? Role, feature
 * toggle, platform scope and impersonation limits are decided here from the principal alone;
 * rules that need data (whose role, which tenant) are the owning server's second wall, and
 * row-level security the third.
 */
export function refusal(principal: Principal, toolName: string, access: ToolAccess): AppError | undefined {
  if (!roleHas(principal.role, access.permission)) {
    return new AppError('forbidden', `Your role (${principal.role}) may not use ${toolName}.`, {
      tool: toolName,
    });
  }
  if (access.feature && !principal.features[access.feature]) {
    return new AppError(
      'forbidden',
      `The ${access.feature} feature is turned off for your account, so ${toolName} is unavailable.`,
      {
        tool: toolName,
        feature: access.feature,
      },
    );
  }
  if (access.scope === 'platform' && !STAFF_ROLES.includes(principal.role)) {
    return new AppError('forbidden', `${toolName} is for platform staff only.`, { tool: toolName });
  }
  if (principal.mustResetPassword && !access.whileResetPending && !principal.impersonatorId) {
    return new AppError(
      'forbidden',
      'Your password must be changed before you continue (POST /api/auth/password or users_change_password).',
      {
        tool: toolName,
        passwordResetRequired: true,
      },
    );
  }
  if (access.sensitive && principal.impersonatorId) {
    return new AppError(
      'forbidden',
      `${toolName} changes privileges or credentials and is not allowed while viewing as another user.`,
      {
        tool: toolName,
      },
    );
  }
  return undefined;
}
