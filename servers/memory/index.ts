import { defineServer } from '../kit/define-server.ts';
import { memoryTools } from './tools.ts';

/** The memory domain: facts about a person that every agent acting for them is told. */
export function memoryServer() {
  return defineServer({
    name: 'memory',
    version: '0.1.0',
    instructions: "Remember, list and forget facts about the user for the agents' context.",
    tools: memoryTools,
  });
}
