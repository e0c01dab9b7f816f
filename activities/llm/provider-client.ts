import OpenAI from 'openai';
import type { AppConfig, ProviderConfig } from '../../common/config';
import { providerDefaultHeaders } from '../../common/provider-headers';

/** Headers every framework sends to the provider (identical for openai SDK and LangChain). */
export function providerHeaders(
  config: AppConfig,
  provider: ProviderConfig = config.provider,
): Record<string, string> {
  const { env } = config;
  return providerDefaultHeaders({
    providerName: provider.name,
    apiKey: provider.apiKey,
    extra: provider.headers,
    appName: env.APP_NAME,
    appVersion: env.APP_VERSION,
    debug: env.DEBUG_MODE,
    apiTimeoutSeconds: env.API_TIMEOUT,
    customVar: env.CUSTOM_VAR,
    rateLimitingEnabled: env.RATE_LIMITING_ENABLED,
  });
}

/** The SDK's own retries are off: Temporal owns retries, so each attempt is one audited call. */
export function createOpenAIClient(
  config: AppConfig,
  provider: ProviderConfig = config.provider,
): OpenAI {
  return new OpenAI({
    apiKey: provider.apiKey,
    baseURL: provider.baseUrl,
    timeout: provider.timeoutMs,
    maxRetries: 0,
    defaultHeaders: providerHeaders(config, provider),
  });
}
