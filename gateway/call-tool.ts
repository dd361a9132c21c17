import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import PQueue from 'p-queue';
import type { AuditBatcher } from '../core/audit/batch-writer.ts';
import { auditIdentity } from '../core/audit/record.ts';
import { META_CONTEXT, META_REQUEST_ID } from '../core/call-context.ts';
import { AppError, toAppError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Logger } from '../core/logger.ts';
import { errorFromResult } from '../servers/kit/tool-result.ts';
import { createContextSigner } from './context-signer.ts';
import type { HostedTool, ToolHost } from './host/tool-host.ts';
import { refusal } from './policy.ts';
import type { Principal } from './principal.ts';

export interface CallOptions {
  /** Made by a server while serving another call (cross-domain lookups): not queued again. */
  nested?: boolean;
}

/** A tool as a caller sees it in their list. */
export interface ToolInfo {
  name: string;
  title: string | undefined;
  description: string;
  inputSchema: HostedTool['inputSchema'];
  annotations: HostedTool['annotations'];
  access: HostedTool['access'];
}

export interface GatewayDeps {
  host: ToolHost;
  contextKey: Uint8Array;
  audit: AuditBatcher;
  log: Logger;
  /** Calls one tenant may have running at once; more wait their turn. */
  tenantConcurrency: number;
  /** Calls one tenant may have waiting; past that a call is refused as rate_limited. */
  tenantBacklog?: number;
}

// The argument that names what a call is about, for the audit record of reads and refusals.
const TARGET_ARGS = ['user', 'tenant', 'lead', 'customer', 'review', 'service', 'id'];

function targetOf(args: Record<string, unknown>): string | null {
  for (const key of TARGET_ARGS) if (typeof args[key] === 'string') return args[key] as string;
  return null;
}

/** The value of a successful result: its structured content, else its content blocks. */
export function resultValue(result: CallToolResult): Record<string, unknown> {
  return (result.structuredContent as Record<string, unknown> | undefined) ?? { content: result.content };
}

/**
 * The Brain Gateway's one path: every door (REST, chat, agents, /mcp) calls `callTool`. It
 * applies the policy, limits concurrency per tenant, hands the server a signed call context,
 * and makes sure every call leaves an audit record (servers record their own committed writes).
 */
export function createGateway(deps: GatewayDeps) {
  const contextFor = createContextSigner(deps.contextKey);
  const queues = new Map<string, PQueue>();
  const backlog = deps.tenantBacklog ?? 200;

  function queueFor(tenantId: string): PQueue {
    let q = queues.get(tenantId);
    if (!q) {
      q = new PQueue({ concurrency: deps.tenantConcurrency });
      queues.set(tenantId, q);
    }
    return q;
  }

  function record(
    principal: Principal,
    tool: string,
    args: Record<string, unknown>,
    requestId: string,
    outcome: string,
    error: string | null,
    durationMs: number,
  ) {
    deps.audit.push({
      ...auditIdentity(principal),
      at: new Date(),
      requestId,
      tool,
      target: targetOf(args),
      args,
      outcome,
      error,
      durationMs,
    });
  }

  async function callToolResult(
    principal: Principal,
    name: string,
    args: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<CallToolResult> {
    const requestId = newId('request');
    const started = performance.now();
    const tool = deps.host.tool(name, principal.tenantId);
    try {
      if (!tool) throw new AppError('not_found', `There is no tool named "${name}".`, { tool: name });
      const refused = refusal(principal, name, tool.access);
      if (refused) throw refused;
      if (args === null || typeof args !== 'object' || Array.isArray(args)) {
        throw new AppError('bad_request', `Arguments for ${name} must be a JSON object.`);
      }
      const context = await contextFor(principal);
      const send = () =>
        tool.client.callTool({
          name: tool.toolName,
          arguments: args,
          _meta: { [META_CONTEXT]: context, [META_REQUEST_ID]: requestId },
        }) as Promise<CallToolResult>;
      let result: CallToolResult;
      if (options.nested) {
        // Its outer call already holds a slot in the tenant's queue; queueing again could wait forever.
        result = await send();
      } else {
        const queue = queueFor(principal.tenantId);
        if (queue.size >= backlog) {
          throw new AppError(
            'rate_limited',
            'Too many calls are waiting for your organisation; try again shortly.',
          );
        }
        result = (await queue.add(send)) as CallToolResult;
      }
      const failure = errorFromResult(result);
      if (failure) throw failure;
      const auditedByServer = tool.auditsOwnWrites && !tool.annotations.readOnlyHint;
      if (!auditedByServer) record(principal, name, args, requestId, 'ok', null, performance.now() - started);
      return result;
    } catch (error) {
      // An AppError was explained already (servers log their own internal failures); anything else is ours to log.
      if (!(error instanceof AppError))
        deps.log.error({ err: error, tool: name, requestId }, 'tool call failed');
      const appError = toAppError(error);
      record(
        principal,
        name,
        args ?? {},
        requestId,
        appError.code,
        appError.message,
        performance.now() - started,
      );
      throw appError;
    }
  }

  return {
    /** The tools this principal may call, with their JSON schemas; hidden tools are also refused on call. */
    listTools(principal: Principal): ToolInfo[] {
      const visible: ToolInfo[] = [];
      for (const t of deps.host.tools(principal.tenantId)) {
        if (refusal(principal, t.name, t.access)) continue;
        visible.push({
          name: t.name,
          title: t.title,
          description: t.description,
          inputSchema: t.inputSchema,
          annotations: t.annotations,
          access: t.access,
        });
      }
      return visible.sort((a, b) => a.name.localeCompare(b.name));
    },
    /** Calls a tool as `principal`; returns the full MCP result, or throws an AppError. */
    callToolResult,
    /** Calls a tool as `principal`; returns its value (structured content), or throws an AppError. */
    async callTool(
      principal: Principal,
      name: string,
      args: Record<string, unknown> = {},
      options: CallOptions = {},
    ): Promise<Record<string, unknown>> {
      return resultValue(await callToolResult(principal, name, args, options));
    },
    host: deps.host,
  };
}

export type Gateway = ReturnType<typeof createGateway>;
