import type { ToolAccess } from '../../kit/tool.ts';

/** Every reviews tool is behind the `reviews` feature toggle and works on the caller's tenants. */
export const readAccess: ToolAccess = { permission: 'reviews.read', feature: 'reviews', scope: 'tenant' };
export const writeAccess: ToolAccess = { permission: 'reviews.write', feature: 'reviews', scope: 'tenant' };
