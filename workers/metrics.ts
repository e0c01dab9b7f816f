/**
 * Worker observability: the Temporal SDK's own Prometheus exporter (workflow/activity task
 * counts and latencies, slots, polls, sticky cache: `temporal_*`), and Quillflow's registry
 * (LLM calls, tokens and cost, Node process metrics) served with GET /health on its own port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { RuntimeOptions } from '@temporalio/worker';
import { createLlmMetrics, type LlmMetrics } from '../activities/llm/llm-metrics';

/**
 * Runtime options exporting the SDK's metrics for Prometheus on `0.0.0.0:<port>/metrics`;
 * undefined without a port. Must be installed (Runtime.install) before any connection opens.
 */
export function sdkMetricsRuntimeOptions(port: number | undefined): RuntimeOptions | undefined {
  if (port === undefined) return undefined;
  return {
    telemetryOptions: {
      // SDK defaults for names and units, so Temporal's SDK dashboards and docs apply as they are.
      metrics: { prometheus: { bindAddress: `0.0.0.0:${port}` } },
    },
  };
}

export interface WorkerAppMetrics {
  registry: Registry;
  llm: LlmMetrics;
}

/** Quillflow's worker registry: default Node process metrics and the LLM counters. */
export function createWorkerAppMetrics(labels: Record<string, string> = {}): WorkerAppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  return { registry, llm: createLlmMetrics(registry) };
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * GET /metrics (Prometheus text) and GET /health (200 while `healthy()`, else 503) on
 * `host:port` (port 0 picks a free one). Anything else is a 404.
 */
export async function startMetricsServer(opts: {
  port: number;
  host?: string;
  registry: Registry;
  healthy: () => { ok: boolean; state: string };
}): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': opts.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(err)),
      );
    } else if (path === '/health') {
      const h = opts.healthy();
      res
        .writeHead(h.ok ? 200 : 503, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ status: h.ok ? 'healthy' : 'unhealthy', worker: h.state }));
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
