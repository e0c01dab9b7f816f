import 'dotenv/config';
import { loadConfig } from '../common/config';
import { createLogger, loggerSettingsFromEnv } from '../common/logger';
import { createPrismaClient } from '../prisma/client';
import { connectTemporal } from '../temporal/connection';
import type { ApiDeps } from './core/api-deps';

/** Wires config, logger, database and Temporal client from the environment (api and mcp). */
export async function platformDepsFromEnv(name: string): Promise<ApiDeps & { close(): Promise<void> }> {
  const config = loadConfig(process.env);
  const logger = createLogger(name, loggerSettingsFromEnv(config.env));
  if (config.provider.simulated) {
    logger.warn(
      { provider: 'simulator', baseUrl: config.provider.baseUrl },
      'NO LLM PROVIDER CONFIGURED: using the bundled simulator. Every record is labelled provider=simulator.',
    );
  }
  const prisma = createPrismaClient(config.env.DATABASE_URL);
  const temporal = await connectTemporal({
    address: config.env.TEMPORAL_ADDRESS,
    namespace: config.env.TEMPORAL_NAMESPACE,
    apiKey: config.env.TEMPORAL_API_KEY,
    tls: config.env.TEMPORAL_TLS,
  });
  return {
    config,
    logger,
    prisma,
    temporal: temporal.client,
    async close() {
      await temporal.close();
      await prisma.$disconnect();
    },
  };
}
