import { defineServer } from '../kit/define-server.ts';
import { chainTools } from './chain-tools.ts';
import { auditTools } from './tools.ts';

/** The audit domain: reads the append-only audit log that every tool call writes to. */
export function auditServer() {
  return defineServer({
    name: 'audit',
    version: '0.1.0',
    instructions: 'Read the platform audit log: search records and follow one user over time.',
    tools: [...auditTools, ...chainTools],
  });
}
