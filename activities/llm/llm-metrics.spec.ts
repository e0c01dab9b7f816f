import { Registry } from 'prom-client';
import { DEFAULT_PRICING_TABLE } from '../../common/pricing';
import type { ActivityDeps } from '../deps';
import type { CallContext } from './call-context';
import { auditedLlmCall } from './llm-call';
import { createLlmMetrics } from './llm-metrics';
import { offlineProviderConfig, quietLogger } from '../../test/support/activity-deps';

async function value(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get();
  const found = metric?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return found?.value;
}

describe('LLM metrics', () => {
  it('counts calls, tokens by type and cost per framework/model/provider/outcome', async () => {
    const registry = new Registry();
    const m = createLlmMetrics(registry);
    const base = { framework: 'langchain', provider: 'openrouter', model: 'm-1', latencyMs: 1500 };
    m.observeLlmCall({
      ...base,
      outcome: 'success',
      inputTokens: 100,
      outputTokens: 50,
      costUsd: '0.000150',
    });
    m.observeLlmCall({
      ...base,
      outcome: 'success',
      inputTokens: 10,
      outputTokens: 5,
      costUsd: '0.000015',
    });
    m.observeLlmCall({ ...base, outcome: 'error', inputTokens: 0, outputTokens: 0, costUsd: '0' });

    const ok = { framework: 'langchain', provider: 'openrouter', model: 'm-1', outcome: 'success' };
    expect(await value(registry, 'quillflow_llm_calls_total', ok)).toBe(2);
    expect(await value(registry, 'quillflow_llm_calls_total', { ...ok, outcome: 'error' })).toBe(1);
    expect(await value(registry, 'quillflow_llm_tokens_total', { ...ok, type: 'input' })).toBe(110);
    expect(await value(registry, 'quillflow_llm_tokens_total', { ...ok, type: 'output' })).toBe(55);
    expect(await value(registry, 'quillflow_llm_cost_usd_total', ok)).toBeCloseTo(0.000165, 9);
    expect(
      await value(registry, 'quillflow_llm_cost_usd_total', { ...ok, outcome: 'error' }),
    ).toBeUndefined();

    const text = await registry.metrics();
    expect(text).toContain(
      'quillflow_llm_call_duration_seconds_bucket{le="2.5",framework="langchain",model="m-1",provider="openrouter",outcome="success"} 2',
    );
    expect(text).toMatch(/# TYPE quillflow_llm_tokens_total counter/);
  });

  it('auditedLlmCall reports every attempt, success and failure, when deps.metrics is set', async () => {
    const registry = new Registry();
    const deps = {
      config: offlineProviderConfig(),
      pricing: DEFAULT_PRICING_TABLE,
      logger: quietLogger,
      prisma: { llmCallAttempt: { upsert: async () => undefined } },
      promptsDir: '',
      metrics: createLlmMetrics(registry),
    } as unknown as ActivityDeps;
    const ctx = {
      correlationId: 'c-1',
      origin: 'api',
      workflowId: 'story-1',
      runId: 'r-1',
      workflowType: 'storyWorkflow',
      activityId: '1',
      activityType: 'generateLangChain',
      attempt: 1,
      heartbeat: () => undefined,
      heartbeatDetails: () => undefined,
    } as CallContext;
    const meta = { step: 'story', framework: 'langchain', callIndex: 0 };

    await auditedLlmCall(deps, ctx, meta, async () => ({
      text: 'Once',
      inputTokens: 1000,
      outputTokens: 1000,
    }));
    await expect(
      auditedLlmCall(deps, ctx, meta, async () =>
        Promise.reject(Object.assign(new Error('boom'), { status: 500 })),
      ),
    ).rejects.toThrow();

    const labels = { framework: 'langchain', provider: 'simulator', model: 'quillflow-sim-1' };
    expect(
      await value(registry, 'quillflow_llm_calls_total', { ...labels, outcome: 'success' }),
    ).toBe(1);
    expect(
      await value(registry, 'quillflow_llm_calls_total', { ...labels, outcome: 'error' }),
    ).toBe(1);
    expect(
      await value(registry, 'quillflow_llm_tokens_total', {
        ...labels,
        outcome: 'success',
        type: 'output',
      }),
    ).toBe(1000);
    expect(
      await value(registry, 'quillflow_llm_cost_usd_total', { ...labels, outcome: 'success' }),
    ).toBeCloseTo(0.002, 9);
  });
});
