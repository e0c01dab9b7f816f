import { ChatOpenAI } from '@langchain/openai';
import type { AppConfig, ProviderConfig } from '../../../common/config';
import { providerHeaders } from '../../llm/provider-client';

/** ChatOpenAI pointed at the configured provider; retries off (Temporal owns them). */
export function createChatModel(
  config: AppConfig,
  p: ProviderConfig = config.provider,
): ChatOpenAI {
  return new ChatOpenAI({
    model: p.model,
    apiKey: p.apiKey,
    temperature: p.temperature,
    maxTokens: p.maxTokens,
    maxRetries: 0,
    timeout: p.timeoutMs,
    configuration: { baseURL: p.baseUrl, defaultHeaders: providerHeaders(config, p) },
  });
}
