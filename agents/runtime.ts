import type { LanguageModelV3 } from '@ai-sdk/provider';
import {
  convertToModelMessages,
  generateText,
  type LanguageModelUsage,
  type ModelMessage,
  stepCountIs,
  streamText,
  type ToolSet,
  type UIMessage,
} from 'ai';
import type { AuditBatcher } from '../core/audit/batch-writer.ts';
import type { Config } from '../core/config.ts';
import type { Db } from '../core/db/connection.ts';
import { withTenantScope } from '../core/db/tenant-scope.ts';
import { AppError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Gateway } from '../gateway/call-tool.ts';
import type { Principal } from '../gateway/principal.ts';
import { agentStore } from '../servers/agents/index.ts';
import { type ApprovalDecision, auditDecisions } from './approvals.ts';
import { principalContext } from './context.ts';
import { gatewayToolSet } from './gateway-tools.ts';
import { resolveModel } from './models/provider.ts';
import {
  type PendingApproval,
  pendingApprovalsOf,
  type ToolCallReport,
  toolCallReport,
} from './turn-report.ts';

export interface AgentRuntimeDeps {
  gateway: Gateway;
  db: Db;
  config: Pick<Config, 'model' | 'agentMaxSteps'>;
  audit: AuditBatcher;
  log: Logger;
  /** Signs approval requests, so a client cannot approve a tool call the model never asked for. */
  approvalSecret: Uint8Array;
  /** A model to use instead of the configured one (tests, embedding). */
  model?: LanguageModelV3 | undefined;
}

/** What one turn did: the reply, every tool call with its outcome, and calls waiting for approval. */
export interface TurnResult {
  reply: string;
  toolCalls: ToolCallReport[];
  pendingApprovals: PendingApproval[];
  agent: string;
  model: string;
  usage: { inputTokens: number; outputTokens: number };
}

export interface TurnOptions {
  agent?: string | undefined;
  /** Earlier messages of the conversation (model messages). */
  history?: ModelMessage[];
  /** Approve the turn's approval requests, as its user would (CLI `--approve`, unattended tasks never do). */
  approve?: boolean;
  /** Link the metering record to a task run. */
  taskRunId?: string | undefined;
}

const tokens = (usage: LanguageModelUsage | undefined) => ({
  inputTokens: usage?.inputTokens ?? 0,
  outputTokens: usage?.outputTokens ?? 0,
});

/**
 * The agent runtime: an AI SDK tool loop whose tools are the caller's own gateway tools narrowed
 * by the agent's allow-list, bounded in steps, with destructive calls (or every write, by the
 * user's setting) waiting for approval, and every run metered for the caller's tenant.
 */
export function createAgentRuntime(deps: AgentRuntimeDeps) {
  /** The agent, its model, the caller's tools for it and its system prompt. */
  async function prepare(principal: Principal, agentName: string | undefined) {
    if (!principal.features.ai)
      throw new AppError('forbidden', 'AI access is turned off for your account.', { feature: 'ai' });
    const { agent, settings } = await withTenantScope(deps.db, principal, async (tx) => ({
      agent: await agentStore.getAgent(tx, principal, agentName ?? agentStore.DEFAULT_AGENT),
      settings: await agentStore.getSettings(tx, principal),
    }));
    const remembered = (await deps.gateway.callTool(principal, 'memory_list', {})) as {
      memories: { text: string }[];
    };
    const { model, label } = deps.model
      ? { model: deps.model, label: `${deps.model.provider}:${deps.model.modelId}` }
      : resolveModel(deps.config, agent.model);
    const tools = gatewayToolSet(deps.gateway, principal, {
      allow: agent.allowedTools,
      approveWrites: settings.approveWrites,
    });
    const system = `${agent.instructions}\n\n${principalContext(
      principal,
      new Date(),
      remembered.memories.map((m) => m.text),
    )}`;
    return { agent, model, label, tools, system };
  }

  /** Meters a finished run; metering never fails the turn it measures. */
  async function meter(
    principal: Principal,
    run: {
      agent: string;
      model: string;
      usage: LanguageModelUsage | undefined;
      toolCalls: number;
      conversationId?: string | undefined;
      taskRunId?: string | undefined;
    },
  ) {
    try {
      await withTenantScope(deps.db, principal, (tx) =>
        agentStore.recordUsage(tx, principal, {
          agent: run.agent,
          model: run.model,
          ...tokens(run.usage),
          toolCalls: run.toolCalls,
          conversationId: run.conversationId,
          taskRunId: run.taskRunId,
        }),
      );
    } catch (error) {
      deps.log.error({ err: error }, 'agent usage was not recorded');
    }
  }

  const settings = (tools: ToolSet) => ({
    tools,
    stopWhen: stepCountIs(deps.config.agentMaxSteps),
    experimental_toolApprovalSecret: deps.approvalSecret,
  });

  /** One turn, to completion (CLI, tasks): the reply, tool calls and open approvals. */
  async function runTurn(
    principal: Principal,
    message: string,
    options: TurnOptions = {},
  ): Promise<TurnResult> {
    const prepared = await prepare(principal, options.agent);
    const messages: ModelMessage[] = [...(options.history ?? []), { role: 'user', content: message }];
    const toolCalls: ToolCallReport[] = [];
    let usage: LanguageModelUsage | undefined;
    let pending: PendingApproval[] = [];
    let text = '';
    for (let round = 0; round < 2; round++) {
      const result = await generateText({
        model: prepared.model,
        system: prepared.system,
        messages,
        ...settings(prepared.tools),
        // Every execution, approved ones included (those run before the first step, in no step).
        experimental_onToolCallFinish: (event) => {
          toolCalls.push(toolCallReport(event));
        },
      });
      usage = addUsage(usage, result.totalUsage);
      text = result.text;
      pending = pendingApprovalsOf(result.steps);
      if (!options.approve || pending.length === 0 || round === 1) break;
      const decisions: ApprovalDecision[] = pending.map((p) => ({
        approvalId: p.approvalId,
        tool: p.name,
        input: p.args,
        approved: true,
      }));
      auditDecisions(deps.audit, principal, decisions);
      messages.push(...result.response.messages, {
        role: 'tool',
        content: decisions.map((d) => ({
          type: 'tool-approval-response',
          approvalId: d.approvalId,
          approved: true,
        })),
      });
    }
    await meter(principal, {
      agent: prepared.agent.name,
      model: prepared.label,
      usage,
      toolCalls: toolCalls.length,
      taskRunId: options.taskRunId,
    });
    return {
      reply: text,
      toolCalls,
      pendingApprovals: pending,
      agent: prepared.agent.name,
      model: prepared.label,
      usage: tokens(usage),
    };
  }

  /** A streamed turn for the chat door; `onDone` meters it once the stream has finished. */
  async function streamTurn(
    principal: Principal,
    input: { agent?: string | undefined; messages: UIMessage[]; conversationId: string },
  ) {
    const prepared = await prepare(principal, input.agent);
    let toolCalls = 0;
    const result = streamText({
      model: prepared.model,
      system: prepared.system,
      messages: await convertToModelMessages(input.messages, {
        tools: prepared.tools,
        ignoreIncompleteToolCalls: true,
      }),
      ...settings(prepared.tools),
      experimental_onToolCallFinish: () => {
        toolCalls += 1;
      },
      onFinish: async (event) => {
        await meter(principal, {
          agent: prepared.agent.name,
          model: prepared.label,
          usage: event.totalUsage,
          toolCalls,
          conversationId: input.conversationId,
        });
      },
      onError: ({ error }) => deps.log.warn({ err: error }, 'agent stream failed'),
    });
    return { result, agent: prepared.agent.name };
  }

  return {
    runTurn,
    streamTurn,
    auditDecisions: (principal: Principal, decisions: ApprovalDecision[]) =>
      auditDecisions(deps.audit, principal, decisions),
  };
}

function addUsage(a: LanguageModelUsage | undefined, b: LanguageModelUsage): LanguageModelUsage {
  if (!a) return b;
  return {
    ...b,
    inputTokens: (a.inputTokens ?? 0) + (b.inputTokens ?? 0),
    outputTokens: (a.outputTokens ?? 0) + (b.outputTokens ?? 0),
    totalTokens: (a.totalTokens ?? 0) + (b.totalTokens ?? 0),
  };
}

export type AgentRuntime = ReturnType<typeof createAgentRuntime>;
