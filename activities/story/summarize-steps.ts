import { addUsd } from '../../common/money';
import type { Framework } from '../../common/frameworks';
import type { GenerationResult, GenerationStepRecord } from '../../common/workflow-types';

/**
 * Sums the per-call usage of a generation; rates are those of the first call. Provider and model
 * are the last call's (a fallback provider may have answered), else the configured ones.
 */
export function summarizeSteps(
  framework: Framework,
  provider: string,
  model: string,
  text: string,
  steps: GenerationStepRecord[],
): GenerationResult {
  const inputTokens = steps.reduce((n, s) => n + s.inputTokens, 0);
  const outputTokens = steps.reduce((n, s) => n + s.outputTokens, 0);
  const last = steps[steps.length - 1];
  return {
    text,
    framework,
    provider: last?.provider ?? provider,
    model: last?.model ?? model,
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    costUsd: addUsd(...steps.map((s) => s.costUsd)),
    inputCostPer1k: steps[0]?.inputCostPer1k ?? '0.000000',
    outputCostPer1k: steps[0]?.outputCostPer1k ?? '0.000000',
    generationTimeMs: Math.round(steps.reduce((n, s) => n + s.latencyMs, 0) * 100) / 100,
    llmCalls: steps.length,
    steps,
  };
}
