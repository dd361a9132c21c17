import type { LanguageModelV3 } from '@ai-sdk/provider';

/** The offline command model (being built): turns management commands into tool calls. */
export function createOfflineModel(): LanguageModelV3 {
  throw new Error('The offline command model is not built yet.');
}
