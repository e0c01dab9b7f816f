/**
 * Entry of the worker PROCESS the crash suites start, kill -9 and restart.
 *
 * The same wiring as workers/main.ts (config from the environment, the real Prisma client, the
 * real activities and workflows through createQuillflowWorker), with two test-only
 * differences: it loads the workflow bundle the Jest global setup already built
 * (QUILLFLOW_TEST_WORKFLOW_BUNDLE, so a restart takes a second instead of a webpack run) and it
 * leaves out metrics and tracing. It prints `worker ready` once it polls, for the parent.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { defaultPromptsDir } from '../../../activities/prompts';
import { loadPricingTable } from '../../../activities/pricing-file';
import { loadConfig } from '../../../common/config';
import { createLogger, loggerSettingsFromEnv } from '../../../common/logger';
import { createPrismaClientFromEnv } from '../../../prisma/client';
import { connectWorkerNative } from '../../../temporal/connection';
import { createQuillflowWorker } from '../../../workers/worker';

async function main(): Promise<void> {
  if (process.env.RELIABILITY_VERBOSE === '1')
    process.stdout.write(`worker modules loaded in ${Math.round(process.uptime() * 1000)} ms\n`);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfig(process.env);
  const logger = createLogger('worker', loggerSettingsFromEnv(config.env));
  const prisma = createPrismaClientFromEnv(config.env);
  const connection = await connectWorkerNative({ address: config.env.TEMPORAL_ADDRESS });
  const worker = await createQuillflowWorker({
    connection,
    namespace: config.env.TEMPORAL_NAMESPACE,
    taskQueue: config.env.TEMPORAL_TASK_QUEUE,
    workflowBundlePath: process.env.QUILLFLOW_TEST_WORKFLOW_BUNDLE || undefined,
    deps: {
      prisma,
      config,
      logger,
      pricing: loadPricingTable(config.env.PRICING_FILE),
      promptsDir: defaultPromptsDir(),
    },
    tuning: {
      maxConcurrentActivityTaskExecutions: config.env.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTaskExecutions: config.env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    },
  });
  const running = worker.run();
  process.stdout.write(
    `worker ready pid=${process.pid} startup_ms=${Math.round(process.uptime() * 1000)}\n`,
  );
  await running;
  await connection.close();
  await prisma.$disconnect();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
