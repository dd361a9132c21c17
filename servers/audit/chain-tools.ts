import { z } from 'zod';
import { defineTool, READ_ONLY } from '../kit/tool.ts';
import { verifyChain } from './chain.ts';

/** Integrity of the audit log itself. */
export const chainTools = [
  defineTool({
    name: 'verify_chain',
    title: 'Verify the audit log',
    description:
      'Check that the audit log is intact: every record still matches its hash, links to the one before it, and none ' +
      'is missing. Reports the first broken link.',
    input: z.strictObject({}),
    access: { permission: 'audit.verify', scope: 'platform' },
    annotations: READ_ONLY,
    handler: (_args, call) => call.transaction((tx) => verifyChain(tx)),
  }),
];
