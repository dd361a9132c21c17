import { defineServer } from '../kit/define-server.ts';
import { conversationTools } from './tools/conversations.ts';
import { definitionTools } from './tools/definitions.ts';
import { settingTools } from './tools/settings.ts';

/** The agents domain: agent definitions, conversations, per-person agent settings, usage metering. */
export function agentsServer() {
  return defineServer({
    name: 'agents',
    version: '0.1.0',
    instructions: 'Agent definitions, your conversations with agents, agent settings and usage.',
    tools: [...definitionTools, ...conversationTools, ...settingTools],
  });
}

export * as agentStore from './store.ts';
