import 'dotenv/config';
import { loadConfig } from '../common/config';
import { createLogger, type LoggerSettings, loggerSettingsFromEnv } from '../common/logger';
import { createPrismaClientFromEnv } from '../prisma/client';
import { connectTemporal } from '../temporal/connection';
import { contractOptionsFromEnv, ensureNamespaceContract } from '../temporal/namespace-contract';
import { setupTracing } from '../temporal/tracing';
import type { ApiDeps } from './core/api-deps';

/** Wires config, logger, database and Temporal client from the environment (api and mcp). */
export async function platformDepsFromEnv(
  name: string,
  logOverrides: Partial<LoggerSettings> = {},
  opts: {
    /** Check (and, when TEMPORAL_NAMESPACE_SETUP allows, set up) the namespace first; throws TemporalNotSetUpError. */
    namespaceContract?: boolean;
  } = {},
): Promise<ApiDeps & { close(): Promise<void> }> {
  const config = loadConfig(process.env);
  const logger = createLogger(name, { ...loggerSettingsFromEnv(config.env), ...logOverrides });
  if (config.provider.simulated) {
    logger.warn(
      { provider: 'simulator', baseUrl: config.provider.baseUrl },
      'NO LLM PROVIDER CONFIGURED: using the bundled simulator. Every record is labelled provider=simulator.',
    );
  }
  const prisma = createPrismaClientFromEnv(config.env);
  const tracing = setupTracing(config.env, `quillflow-${name}`, logger); // off unless OTEL_ENABLED
  const temporal = await connectTemporal(
    {
      address: config.env.TEMPORAL_ADDRESS,
      namespace: config.env.TEMPORAL_NAMESPACE,
      apiKey: config.env.TEMPORAL_API_KEY,
      tls: config.env.TEMPORAL_TLS,
    },
    {
      clientOptions: tracing && { interceptors: tracing.clientInterceptors() },
      // The contract says what is wrong with a missing namespace (or creates it) at once.
      waitForNamespace: !opts.namespaceContract,
    },
  );
  if (opts.namespaceContract) {
    try {
      await ensureNamespaceContract(
        temporal.connection,
        contractOptionsFromEnv(config.env, logger),
      );
    } catch (err) {
      await temporal.close();
      await prisma.$disconnect();
      throw err;
    }
  }
  return {
    config,
    logger,
    prisma,
    temporal: temporal.client,
    async close() {
      await temporal.close();
      await prisma.$disconnect();
      await tracing?.shutdown();
    },
  };
}
