import { type CallContext, inTenantScope } from '../../core/call-context.ts';
import { AppError } from '../../core/errors.ts';
import { ELEVATED_ROLES, type Role } from '../../core/roles.ts';

/**
 * Who may manage whom. The gateway's role table decides which tools a role may call at all;
 * these rules need the data (the target's role and tenant), so the users server applies them.
 */

type Target = { id: string; tenantId: string; role: Role };

/** Tenants whose users a principal may manage: partners their child tenants, sub-admins their scoped ones. */
export function canManageTenant(ctx: CallContext, tenantId: string): boolean {
  switch (ctx.role) {
    case 'super_admin':
    case 'admin':
      return true;
    case 'sub_admin':
      return inTenantScope(ctx, tenantId);
    case 'partner':
      return tenantId !== ctx.tenantId && inTenantScope(ctx, tenantId);
    case 'client':
      return false;
  }
}

/** Roles a principal may hand out (or take away) at all. */
function assignableRoles(ctx: CallContext): readonly Role[] {
  switch (ctx.role) {
    case 'super_admin':
      return ['super_admin', 'admin', 'sub_admin', 'partner', 'client'];
    case 'admin':
      return ['sub_admin', 'partner', 'client'];
    default:
      return ['client'];
  }
}

/** Refuses unless the principal may change another user's profile, rights or role. */
export function assertCanManageUser(ctx: CallContext, target: Target): void {
  if (target.id === ctx.userId) return;
  if (!canManageTenant(ctx, target.tenantId)) {
    throw new AppError('forbidden', describeTenantLimit(ctx));
  }
  if (ctx.role === 'admin' && ELEVATED_ROLES.includes(target.role)) {
    throw new AppError('forbidden', 'Only a super admin can manage admins and super admins.');
  }
  if ((ctx.role === 'partner' || ctx.role === 'sub_admin') && target.role !== 'client') {
    throw new AppError(
      'forbidden',
      `A ${ctx.role} can only manage client users; this user is a ${target.role}.`,
    );
  }
}

/** Refuses unless the principal may give `role` to a user of `tenantId` (an existing one, or a new one). */
export function assertCanAssignRole(ctx: CallContext, tenantId: string, role: Role, target?: Target): void {
  if (target && target.id === ctx.userId) {
    throw new AppError('forbidden', 'Nobody can change their own role; ask another administrator.');
  }
  const touchesElevated =
    ELEVATED_ROLES.includes(role) || (target !== undefined && ELEVATED_ROLES.includes(target.role));
  if (touchesElevated && ctx.role !== 'super_admin') {
    throw new AppError(
      'forbidden',
      'Only a super admin can grant or remove the admin and super_admin roles.',
    );
  }
  if (!assignableRoles(ctx).includes(role)) {
    throw new AppError(
      'forbidden',
      `A ${ctx.role} can only assign these roles: ${assignableRoles(ctx).join(', ')}.`,
    );
  }
  if (target) assertCanManageUser(ctx, target);
  else if (!canManageTenant(ctx, tenantId)) throw new AppError('forbidden', describeTenantLimit(ctx));
}

function describeTenantLimit(ctx: CallContext): string {
  switch (ctx.role) {
    case 'partner':
      return "Partners can only manage users of their own client businesses (child tenants), not this tenant's.";
    case 'sub_admin':
      return 'This tenant is outside the tenants your sub-admin account is scoped to.';
    default:
      return `Your role (${ctx.role}) cannot manage users of this tenant.`;
  }
}
