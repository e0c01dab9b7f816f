import { Runtime, type Worker, type WorkerPlugin } from '@temporalio/worker';
import type { LlmMetrics } from '../activities/llm/llm-metrics';
import type { Env } from '../common/config';
import type { Logger } from '../common/logger';
import { setupTracing } from '../temporal/tracing';
import {
  createWorkerAppMetrics,
  type MetricsServer,
  sdkMetricsRuntimeOptions,
  startMetricsServer,
} from './metrics';

/** What workers/main.ts wires in: metrics (SDK + app) and tracing, each only when configured. */
export interface WorkerObservability {
  /** For ActivityDeps.metrics (LLM calls, tokens, cost); undefined without WORKER_APP_METRICS_PORT. */
  llmMetrics?: LlmMetrics;
  /** For Worker.create (OpenTelemetry); undefined with tracing off. */
  plugins?: WorkerPlugin[];
  /**
   * False with tracing on: the OpenTelemetry workflow interceptors must be inside the workflow
   * bundle, and the prebuilt one has none, so the worker bundles at start (a few seconds).
   */
  prebuiltBundleUsable: boolean;
  /** Starts the app metrics server (GET /metrics, GET /health: 200 while `worker` is RUNNING). */
  serve(worker: Worker): Promise<void>;
  close(): Promise<void>;
}

/**
 * Call before the first Temporal connection: the SDK's Prometheus exporter is part of the
 * Runtime, which is created with the first connection.
 */
export function setupWorkerObservability(
  env: Pick<
    Env,
    | 'WORKER_METRICS_PORT'
    | 'WORKER_APP_METRICS_PORT'
    | 'OTEL_ENABLED'
    | 'OTEL_TRACES_EXPORTER'
    | 'OTEL_SERVICE_NAME'
  >,
  logger: Logger,
): WorkerObservability {
  const runtimeOptions = sdkMetricsRuntimeOptions(env.WORKER_METRICS_PORT);
  if (runtimeOptions) {
    Runtime.install(runtimeOptions);
    logger.info(
      { port: env.WORKER_METRICS_PORT, path: '/metrics' },
      'Temporal SDK metrics (Prometheus) on',
    );
  }
  const appMetrics =
    env.WORKER_APP_METRICS_PORT === undefined
      ? undefined
      : createWorkerAppMetrics({ service: 'worker' });
  const tracing = setupTracing(env, 'quillflow-worker', logger);
  let server: MetricsServer | undefined;
  return {
    llmMetrics: appMetrics?.llm,
    plugins: tracing?.workerPlugins(),
    prebuiltBundleUsable: !tracing,
    async serve(worker) {
      if (!appMetrics || env.WORKER_APP_METRICS_PORT === undefined) return;
      server = await startMetricsServer({
        port: env.WORKER_APP_METRICS_PORT,
        registry: appMetrics.registry,
        // Called after run() started; STOPPING, DRAINING, FAILED etc. are unhealthy.
        healthy: () => ({ ok: worker.getState() === 'RUNNING', state: worker.getState() }),
      });
      logger.info(
        { port: server.port, paths: ['/metrics', '/health'] },
        'worker app metrics and health on',
      );
    },
    async close() {
      await server?.close();
      await tracing?.shutdown();
    },
  };
}
