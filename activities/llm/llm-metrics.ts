import { Counter, Histogram, type Registry } from 'prom-client';

/** One LLM call attempt as the metrics see it (the audit row holds the rest). */
export interface LlmCallObservation {
  framework: string;
  provider: string;
  model: string;
  outcome: 'success' | 'error';
  inputTokens: number;
  outputTokens: number;
  /** Decimal USD string, as priced for the audit row. */
  costUsd: string;
  latencyMs: number;
}

/** What `auditedLlmCall` reports to; optional in ActivityDeps so tests and scripts need none. */
export interface LlmMetrics {
  observeLlmCall(o: LlmCallObservation): void;
}

const LABELS = ['framework', 'model', 'provider', 'outcome'] as const;

/**
 * Prometheus counters for LLM calls, registered on `registry`. Labels are bounded: three
 * frameworks, the configured model and provider, two outcomes (no IDs, no error text).
 */
export function createLlmMetrics(registry: Registry): LlmMetrics {
  const calls = new Counter({
    name: 'quillflow_llm_calls_total',
    help: 'LLM call attempts (one per audit row)',
    labelNames: LABELS,
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'quillflow_llm_tokens_total',
    help: 'Tokens used by LLM call attempts, by type (input/output)',
    labelNames: [...LABELS, 'type'],
    registers: [registry],
  });
  const cost = new Counter({
    name: 'quillflow_llm_cost_usd_total',
    help: 'Cost of LLM call attempts in USD (pricing table)',
    labelNames: LABELS,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'quillflow_llm_call_duration_seconds',
    help: 'Latency of LLM call attempts',
    labelNames: LABELS,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
    registers: [registry],
  });
  return {
    observeLlmCall(o) {
      const labels = {
        framework: o.framework,
        model: o.model,
        provider: o.provider,
        outcome: o.outcome,
      };
      calls.inc(labels);
      if (o.inputTokens > 0) tokens.inc({ ...labels, type: 'input' }, o.inputTokens);
      if (o.outputTokens > 0) tokens.inc({ ...labels, type: 'output' }, o.outputTokens);
      const usd = Number(o.costUsd);
      if (Number.isFinite(usd) && usd > 0) cost.inc(labels, usd);
      duration.observe(labels, Math.max(0, o.latencyMs) / 1000);
    },
  };
}
