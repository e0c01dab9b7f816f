/**
 * Bench-only worker entry for tuning experiments (`npm run bench -- --worker-tuning '{...}'`):
 * the same worker as `workers/main.ts`, with extra Temporal WorkerOptions taken from the JSON
 * in QUILLFLOW_BENCH_WORKER_TUNING. Without that flag the bench runs `dist/workers/main.js`.
 * Keep it in step with workers/main.ts.
 */
import 'dotenv/config';
import fs from 'node:fs';
import path from 'node:path';
import { loadPricingTable } from '../activities/pricing-file';
import { defaultPromptsDir } from '../activities/prompts';
import { loadConfig } from '../common/config';
import { createLogger, loggerSettingsFromEnv } from '../common/logger';
import { createPrismaClientFromEnv } from '../prisma/client';
import { connectWorkerNative } from '../temporal/connection';
import { setupWorkerObservability } from '../workers/observability';
import { createQuillflowWorker, type WorkerTuning } from '../workers/worker';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger('worker', loggerSettingsFromEnv(config.env));
  const prisma = createPrismaClientFromEnv(config.env);
  const observability = setupWorkerObservability(config.env, logger); // before the first connection
  const connection = await connectWorkerNative({ address: config.env.TEMPORAL_ADDRESS });
  const bundle = path.join(__dirname, '..', 'workflow-bundle.js');
  const tuning = JSON.parse(process.env.QUILLFLOW_BENCH_WORKER_TUNING ?? '{}') as WorkerTuning;
  const worker = await createQuillflowWorker({
    connection,
    namespace: config.env.TEMPORAL_NAMESPACE,
    taskQueue: config.env.TEMPORAL_TASK_QUEUE,
    // QUILLFLOW_BENCH_NO_BUNDLE=1 measures the worker without the prebuilt bundle (webpack at start).
    workflowBundlePath:
      observability.prebuiltBundleUsable &&
      fs.existsSync(bundle) &&
      !process.env.QUILLFLOW_BENCH_NO_BUNDLE
        ? bundle
        : undefined,
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
      ...tuning,
    },
  });
  logger.info({ taskQueue: config.env.TEMPORAL_TASK_QUEUE, tuning }, 'bench worker started');
  if (process.env.QUILLFLOW_BENCH_MEMLOG) {
    // Where the RSS goes (V8 heap, external buffers, the rest: native Temporal core, code).
    const mb = (n: number) => Math.round(n / 1048576);
    setInterval(() => {
      const m = process.memoryUsage();
      console.log(
        `memlog rss=${mb(m.rss)} heapUsed=${mb(m.heapUsed)} heapTotal=${mb(m.heapTotal)} external=${mb(m.external)} arrayBuffers=${mb(m.arrayBuffers)}`,
      );
    }, 5_000).unref();
  }
  const running = worker.run();
  await observability.serve(worker);
  await running;
  await observability.close();
  await connection.close();
  await prisma.$disconnect();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
