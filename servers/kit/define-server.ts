import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { appendAudit, auditIdentity } from '../../core/audit/record.ts';
import { type CallContext, META_CONTEXT, META_REQUEST_ID } from '../../core/call-context.ts';
import type { Db } from '../../core/db/connection.ts';
import { withTenantScope } from '../../core/db/tenant-scope.ts';
import { AppError, fromZodError, toAppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import { roleHas } from '../../core/roles.ts';
import { createContextVerifier } from './context-verifier.ts';
import { META_ACCESS, type ToolCall, type ToolDefinition } from './tool.ts';
import { errorResult, okResult } from './tool-result.ts';

/** What every domain server needs from the process that runs it. */
export interface ServerDeps {
  db: Db;
  /** The key call contexts are signed with (shared with the gateway). */
  contextKey: Uint8Array;
  log: Logger;
  /** Calls another domain's tool through the gateway as the given principal. */
  callTool?: (ctx: CallContext, name: string, args: Record<string, unknown>) => Promise<unknown>;
}

export interface DomainServer {
  name: string;
  version: string;
  tools: ToolDefinition[];
  /** A new MCP server instance (one per connection; stateless HTTP makes one per request). */
  create(deps: ServerDeps): Server;
}

function describe(tool: ToolDefinition): Tool {
  const inputSchema = z.toJSONSchema(tool.input, {
    io: 'input',
    unrepresentable: 'any',
  }) as Tool['inputSchema'];
  delete (inputSchema as Record<string, unknown>).$schema;
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema,
    annotations: { title: tool.title, ...tool.annotations },
    _meta: { [META_ACCESS]: tool.access },
  };
}

/**
 * Defines a domain MCP server from its tools. Every call is verified (signed context), validated
 * (zod, unknown fields refused), checked against the role table again (the second wall after the
 * gateway), run in a tenant-scoped transaction, and, for writes, audited in that transaction.
 */
export function defineServer(spec: {
  name: string;
  version: string;
  instructions?: string;
  tools: ToolDefinition[];
}): DomainServer {
  const byName = new Map(spec.tools.map((t) => [t.name, t]));
  const listing = spec.tools.map(describe);

  return {
    name: spec.name,
    version: spec.version,
    tools: spec.tools,
    create(deps) {
      const verify = createContextVerifier(deps.contextKey);
      const server = new Server(
        { name: spec.name, version: spec.version },
        { capabilities: { tools: {} }, ...(spec.instructions ? { instructions: spec.instructions } : {}) },
      );
      server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listing }));
      server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
        const meta = request.params._meta as Record<string, unknown> | undefined;
        const requestId =
          typeof meta?.[META_REQUEST_ID] === 'string' ? (meta[META_REQUEST_ID] as string) : newId('request');
        try {
          const ctx = await verify(meta?.[META_CONTEXT]);
          const tool = byName.get(request.params.name);
          if (!tool)
            throw new AppError(
              'not_found',
              `Unknown tool "${request.params.name}" on the ${spec.name} server.`,
            );
          return okResult(
            await runTool(tool, ctx, request.params.arguments ?? {}, requestId, deps, spec.name),
          );
        } catch (error) {
          const appError = toAppError(error);
          if (appError.code === 'internal')
            deps.log.error({ err: error, tool: request.params.name, requestId }, 'tool failed');
          return errorResult(appError);
        }
      });
      return server;
    },
  };
}

async function runTool(
  tool: ToolDefinition,
  ctx: CallContext,
  rawArgs: Record<string, unknown>,
  requestId: string,
  deps: ServerDeps,
  serverName: string,
): Promise<Record<string, unknown>> {
  const fullName = `${serverName}_${tool.name}`;
  if (!roleHas(ctx.role, tool.access.permission)) {
    throw new AppError('forbidden', `Your role (${ctx.role}) may not use ${fullName}.`);
  }
  if (tool.access.feature && !ctx.features[tool.access.feature]) {
    throw new AppError('forbidden', `The ${tool.access.feature} feature is turned off for your account.`);
  }
  const parsed = tool.input.safeParse(rawArgs);
  if (!parsed.success)
    throw fromZodError(parsed.error, `arguments for ${fullName}`, Object.keys(tool.input.shape));

  const started = performance.now();
  const isWrite = !tool.annotations.readOnlyHint;
  let transactions = 0;
  const auditRecord = (call: ToolCall) => ({
    ...auditIdentity(ctx),
    tenantId: call.audit.tenantId ?? ctx.tenantId,
    requestId,
    tool: fullName,
    target: call.audit.target ?? null,
    args: rawArgs,
    outcome: 'ok',
    durationMs: performance.now() - started,
  });
  const call: ToolCall = {
    ctx,
    requestId,
    audit: {},
    transaction(fn) {
      if (isWrite && transactions > 0)
        throw new AppError('internal', `${tool.name} opened a second transaction.`);
      transactions += 1;
      return withTenantScope(deps.db, ctx, async (tx) => {
        const value = await fn(tx);
        // Last in the transaction, so it travels with COMMIT; if it fails, the change rolls back.
        if (isWrite) await appendAudit(tx, auditRecord(call), { deferred: true });
        return value;
      });
    },
    callTool(name, args) {
      if (!deps.callTool)
        throw new AppError('internal', `The ${serverName} server cannot reach other servers here.`);
      return deps.callTool(ctx, name, args);
    },
  };
  const result = await tool.handler(parsed.data, call);
  // A write that changed nothing in this domain's tables (it only called others) is still recorded.
  if (isWrite && transactions === 0) await appendAudit(deps.db, auditRecord(call));
  return result;
}
