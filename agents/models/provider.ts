import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { Config } from '../../core/config.ts';
import { createOfflineModel } from './offline/index.ts';

export const OFFLINE_MODEL_ID = 'bizosaas-offline';
const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
const OPENAI_API_URL = 'https://api.openai.com/v1';

export interface ResolvedModel {
  model: LanguageModelV3;
  /** What metering records: `openai:gpt-4o-mini`, `openai-compatible:llama3.1`, `offline`. */
  label: string;
}

/**
 * The configured model. With an OpenAI key or a base URL: OpenAI or an OpenAI-compatible server
 * (Ollama, vLLM, LM Studio). Compatible servers speak Chat Completions (`openai.chat(id)`), not
 * the Responses API that `openai(id)` uses, so a base URL means Chat Completions unless
 * BIZOSAAS_MODEL_API says otherwise. With neither: the offline command model.
 */
export function resolveModel(config: Pick<Config, 'model'>, override?: string | null): ResolvedModel {
  const { apiKey, baseUrl, api } = config.model;
  if (!apiKey && !baseUrl) return { model: createOfflineModel(), label: OFFLINE_MODEL_ID };
  const id = override ?? config.model.id ?? DEFAULT_OPENAI_MODEL;
  // Local servers ignore the key, but the provider insists on one.
  // Always pass the base URL: left out, the provider would read OPENAI_BASE_URL from the environment itself.
  const openai = createOpenAI({ apiKey: apiKey ?? 'not-needed', baseURL: baseUrl ?? OPENAI_API_URL });
  const useChat = (api ?? (baseUrl ? 'chat' : 'responses')) === 'chat';
  return {
    model: (useChat ? openai.chat(id) : openai.responses(id)) as LanguageModelV3,
    label: `${baseUrl ? 'openai-compatible' : 'openai'}:${id}`,
  };
}
