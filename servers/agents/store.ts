/**
 * What the agent runtime (agents/) uses directly, as the gateway uses the users domain's identity
 * store: persisting a turn's messages and metering it are bookkeeping of the chat door itself, not
 * actions a person or an agent should be able to call as tools.
 */
export { type AgentDefinition, BUILTIN_AGENTS, DEFAULT_AGENT } from './builtin.ts';
export { findConversation, type StoredMessage, saveConversation } from './conversations.ts';
export { getAgent } from './definitions.ts';
export { getSettings } from './settings.ts';
export { recordUsage, type UsageRecord } from './usage.ts';
