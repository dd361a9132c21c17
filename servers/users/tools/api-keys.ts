import { z } from 'zod';
import { defineTool, READ_ONLY, writes } from '../../kit/tool.ts';
import { createOwnApiKey, listApiKeys, revokeApiKey } from '../api-keys.ts';
import * as input from '../inputs.ts';

/** API keys for programmatic and MCP access (`Authorization: Bearer <key>`). */
export const apiKeyTools = [
  defineTool({
    name: 'create_api_key',
    title: 'Create an API key',
    description:
      'Create an API key for yourself, for scripts and MCP clients (sent as Authorization: Bearer <key>). ' +
      'The key is shown only in this result; store it now.',
    input: z.strictObject({
      name: z
        .string()
        .trim()
        .min(1)
        .max(80)
        .describe('A label to recognise the key by, e.g. "Claude Desktop".'),
    }),
    access: { permission: 'profile.self', scope: 'self', sensitive: true },
    annotations: writes(),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const apiKey = await createOwnApiKey(tx, call.ctx, args.name);
        call.audit.target = apiKey.id;
        return { apiKey, notice: 'This is the only time the key is shown.' };
      }),
  }),
  defineTool({
    name: 'list_api_keys',
    title: 'List API keys',
    description:
      "List API keys (name, prefix, created, last used, revoked) — yours, or a user's you manage. Keys themselves are never shown.",
    input: z.strictObject({
      user: input.userRef.optional().describe('Whose keys (id or email); omit for your own.'),
    }),
    access: { permission: 'profile.self', scope: 'self' },
    annotations: READ_ONLY,
    handler: (args, call) => call.transaction((tx) => listApiKeys(tx, call.ctx, args.user)),
  }),
  defineTool({
    name: 'revoke_api_key',
    title: 'Revoke an API key',
    description:
      'Revoke an API key by its id (key_…): yours, or one of a user you manage. It stops working at once.',
    input: z.strictObject({
      key: z
        .string()
        .trim()
        .regex(/^key_[0-9A-Z]{26}$/, 'must be an API key id such as key_01J…')
        .describe('The key id (key_…).'),
    }),
    access: { permission: 'profile.self', scope: 'self', sensitive: true },
    annotations: writes({ destructive: true, idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const result = await revokeApiKey(tx, call.ctx, args.key);
        call.audit.target = args.key;
        call.audit.tenantId = result.user.tenantId;
        return result;
      }),
  }),
];
