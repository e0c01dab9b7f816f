import 'dotenv/config';
import fs from 'node:fs';
import path from 'node:path';
import { defaultPromptsDir } from '../activities/prompts';
import { loadConfig } from '../common/config';
import { stopWithSupervisor } from '../common/listening-signal';
import { createLogger, loggerSettingsFromEnv } from '../common/logger';
import { loadPricingTable } from '../activities/pricing-file';
import { createPrismaClientFromEnv } from '../prisma/client';
import { connectWorkerNative } from '../temporal/connection';
import {
  contractOptionsFromEnv,
  ensureNamespaceContract,
  EXIT_TEMPORAL_NOT_SET_UP,
  TemporalNotSetUpError,
} from '../temporal/namespace-contract';
import { setupWorkerObservability } from './observability';
import { describeWorkerMemory } from './process-settings';
import { createQuillflowWorker } from './worker';

async function main(): Promise<void> {
  stopWithSupervisor();
  const config = loadConfig(process.env);
  const logger = createLogger('worker', loggerSettingsFromEnv(config.env));
  const prisma = createPrismaClientFromEnv(config.env);
  const observability = setupWorkerObservability(config.env, logger); // before the first connection
  const connection = await connectWorkerNative({
    address: config.env.TEMPORAL_ADDRESS,
    apiKey: config.env.TEMPORAL_API_KEY,
    tls: config.env.TEMPORAL_TLS,
  });
  // Before Worker.create: a namespace without Quillflow's search attributes would fail every run.
  try {
    await ensureNamespaceContract(connection, contractOptionsFromEnv(config.env, logger));
  } catch (err) {
    await connection.close();
    await prisma.$disconnect();
    throw err;
  }
  const bundle = path.join(__dirname, '..', 'workflow-bundle.js');
  const worker = await createQuillflowWorker({
    connection,
    namespace: config.env.TEMPORAL_NAMESPACE,
    taskQueue: config.env.TEMPORAL_TASK_QUEUE,
    workflowBundlePath:
      observability.prebuiltBundleUsable && fs.existsSync(bundle) ? bundle : undefined,
    deps: {
      prisma,
      config,
      logger,
      pricing: loadPricingTable(config.env.PRICING_FILE),
      promptsDir: defaultPromptsDir(),
      metrics: observability.llmMetrics,
    },
    plugins: observability.plugins,
    tuning: {
      maxConcurrentActivityTaskExecutions: config.env.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTaskExecutions: config.env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxCachedWorkflows: config.env.WORKER_MAX_CACHED_WORKFLOWS,
    },
  });
  const memory = describeWorkerMemory(config.env, process.env);
  if (memory.warning) logger.warn({ heapLimitMb: memory.heapLimitMb }, memory.warning);
  logger.info(
    {
      taskQueue: config.env.TEMPORAL_TASK_QUEUE,
      provider: config.provider.name,
      model: config.provider.model,
      heapLimitMb: memory.heapLimitMb,
      mallocArenaMax: memory.mallocArenaMax,
    },
    config.provider.simulated ? 'worker started (SIMULATED provider)' : 'worker started',
  );
  // Worker.run() returns after SIGINT/SIGTERM once in-flight tasks finish (graceful shutdown).
  const running = worker.run();
  await observability.serve(worker);
  await running;
  await observability.close();
  await connection.close();
  await prisma.$disconnect();
  logger.info('worker stopped');
}

main().catch((err: unknown) => {
  // The set-up refusal is an operator's to-do list, not a bug: its message without a stack.
  console.error(
    err instanceof TemporalNotSetUpError ? err.message : err instanceof Error ? err.stack : err,
  );
  process.exit(err instanceof TemporalNotSetUpError ? EXIT_TEMPORAL_NOT_SET_UP : 1);
});
