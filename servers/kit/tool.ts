import type { z } from 'zod';
import type { CallContext } from '../../core/call-context.ts';
import type { Tx } from '../../core/db/connection.ts';
import type { Feature, Permission } from '../../core/roles.ts';

/** Who a tool acts on: the caller only, a tenant's data, or the platform as a whole. */
export type ToolScope = 'self' | 'tenant' | 'platform';

/** What the gateway's policy needs to know about a tool, published in the tool's `_meta`. */
export interface ToolAccess {
  permission: Permission;
  feature?: Feature | undefined;
  scope: ToolScope;
  /** Changes privileges (roles, credentials, sessions, keys): refused while impersonating. */
  sensitive?: boolean | undefined;
  /** Still callable when the user must change their password before anything else (that very change). */
  whileResetPending?: boolean | undefined;
}

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** What a tool handler gets besides its input. */
export interface ToolCall {
  ctx: CallContext;
  requestId: string;
  /**
   * Runs `fn` in one transaction scoped to the caller's tenants (row-level security on). For a
   * write tool the audit record is appended in the same transaction, so a change never commits
   * without it; a write tool opens at most one.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** What the audit record should name as the target of a write, and the tenant it touched. */
  audit: { target?: string; tenantId?: string };
  /**
   * Another domain's tool, called through the gateway as the same principal. Call it outside
   * `transaction`: the embedded database has one connection, so a nested call would wait forever.
   */
  callTool(name: string, args: Record<string, unknown>): Promise<unknown>;
}

export interface ToolDefinition<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: S;
  access: ToolAccess;
  annotations: ToolAnnotations;
  handler(input: z.output<S>, call: ToolCall): Promise<Record<string, unknown>>;
}

/** Declares a tool; the zod schema is its validation, its JSON schema and its types at once. */
export function defineTool<S extends z.ZodObject>(definition: ToolDefinition<S>): ToolDefinition<S> {
  return definition;
}

/** The `_meta` key under which a tool publishes its access rules. */
export const META_ACCESS = 'bizosaas/access';

/** Annotations of a tool that only reads (the same call twice changes nothing). */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, idempotentHint: true, openWorldHint: false };

/** Annotations of a tool that changes data; `destructive` ones need approval when an agent calls them. */
export function writes(options: { destructive?: boolean; idempotent?: boolean } = {}): ToolAnnotations {
  return {
    readOnlyHint: false,
    destructiveHint: options.destructive ?? false,
    idempotentHint: options.idempotent ?? false,
    openWorldHint: false,
  };
}
