import { createWorkerAppMetrics, sdkMetricsRuntimeOptions, startMetricsServer } from './metrics';

describe('worker metrics', () => {
  it('SDK metrics: a Prometheus exporter on 0.0.0.0:<port> only when a port is set', () => {
    expect(sdkMetricsRuntimeOptions(undefined)).toBeUndefined();
    expect(sdkMetricsRuntimeOptions(9464)).toEqual({
      telemetryOptions: { metrics: { prometheus: { bindAddress: '0.0.0.0:9464' } } },
    });
  });

  it('serves the app registry on /metrics and the worker state on /health', async () => {
    const m = createWorkerAppMetrics({ service: 'worker' });
    m.llm.observeLlmCall({
      framework: 'langgraph',
      provider: 'simulator',
      model: 'sim',
      outcome: 'success',
      inputTokens: 3,
      outputTokens: 4,
      costUsd: '0.5',
      latencyMs: 10,
    });
    let state = 'RUNNING';
    const server = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      registry: m.registry,
      healthy: () => ({ ok: state === 'RUNNING', state }),
    });
    const base = `http://127.0.0.1:${server.port}`;
    try {
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain(
        'quillflow_llm_tokens_total{framework="langgraph",model="sim",provider="simulator",outcome="success",type="output",service="worker"} 4',
      );
      expect(text).toContain(
        'quillflow_llm_cost_usd_total{framework="langgraph",model="sim",provider="simulator",outcome="success",service="worker"} 0.5',
      );
      expect(text).toMatch(/^process_resident_memory_bytes\{service="worker"\} \d+/m);

      expect(await (await fetch(`${base}/health`)).json()).toEqual({
        status: 'healthy',
        worker: 'RUNNING',
      });
      state = 'DRAINING';
      const down = await fetch(`${base}/health`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'unhealthy', worker: 'DRAINING' });
      expect((await fetch(`${base}/other`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });
});
