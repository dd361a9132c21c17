import { z } from 'zod';
import type { CallContext } from '../../core/call-context.ts';
import { AppError } from '../../core/errors.ts';
import type { CallTool } from './crm-calls.ts';

const userWithTenant = z.looseObject({
  user: z.looseObject({ tenant: z.looseObject({ id: z.string(), name: z.string() }).nullable() }),
});

/**
 * The caller's organisation's name, for a reply template's {business}, asked of the users server
 * through the gateway; undefined when it cannot be had.
 */
export async function ownBusinessName(callTool: CallTool, ctx: CallContext): Promise<string | undefined> {
  try {
    const { user } = userWithTenant.parse(await callTool('users_get', { user: ctx.userId }));
    return user.tenant?.id === ctx.tenantId ? user.tenant.name : undefined;
  } catch (error) {
    if (error instanceof AppError || error instanceof z.ZodError) return undefined;
    throw error;
  }
}
