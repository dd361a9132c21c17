import { defineServer } from '../kit/define-server.ts';
import { conversationTools } from './tools/conversations.ts';
import { definitionTools } from './tools/definitions.ts';
import { settingTools } from './tools/settings.ts';
import { taskTools } from './tools/tasks.ts';

/** The agents domain: agent definitions, conversations, per-person agent settings, usage metering, tasks. */
export function agentsServer() {
  return defineServer({
    name: 'agents',
    version: '0.1.0',
    instructions:
      'Agent definitions, your conversations with agents, agent settings, usage and automated tasks.',
    tools: [...definitionTools, ...conversationTools, ...settingTools, ...taskTools],
  });
}

export * as agentStore from './store.ts';
