import { loadConfig, type AppConfig } from '../../common/config';

/**
 * Config for an in-test platform: real servers, fast retries, no log file, and every response
 * checked against the schema its route declares in the OpenAPI document (a mismatch is a 500
 * naming the route and the field), so every suite also proves the documented responses true.
 */
export function testConfig(over: Record<string, string | undefined>): AppConfig {
  return loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    LOG_FILE_PATH: '',
    RETRY_MIN_WAIT_SECONDS: '0.1',
    RETRY_MAX_WAIT_SECONDS: '1',
    RETRY_MAX_ATTEMPTS: '3',
    OPENAI_TIMEOUT: '10',
    PROVIDER_NAME: 'simulator',
    PROVIDER_API_KEY: 'sk-test-not-a-real-key',
    PROVIDER_MODEL: 'quillflow-sim-1',
    RATE_LIMITING_ENABLED: 'false',
    QUILLFLOW_VALIDATE_RESPONSES: '1',
    ...over,
  });
}
