import { priceUsage } from '../../common/pricing';
import type { GenerationStepRecord } from '../../common/workflow-types';
import type { ActivityDeps } from '../deps';
import { recordAttempt } from './audit';
import type { CallContext } from './call-context';
import { classifyError, toApplicationFailure } from './errors';

export interface RawLlmOutput {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

export interface LlmCallMeta {
  step: string;
  framework: string;
  callIndex: number;
}

export interface LlmCallResult extends GenerationStepRecord {
  text: string;
}

const warnedUnknownModels = new Set<string>();

/**
 * Runs one provider call (whatever library makes it), prices it, and writes its audit row,
 * success or failure. Failures are rethrown as Temporal ApplicationFailures carrying the
 * retry semantics (non-retryable type names, retry-after as nextRetryDelay).
 */
export async function auditedLlmCall(
  deps: ActivityDeps,
  ctx: CallContext,
  meta: LlmCallMeta,
  call: () => Promise<RawLlmOutput>,
): Promise<LlmCallResult> {
  const { provider } = deps.config;
  const started = performance.now();
  try {
    const out = await call();
    const latencyMs = performance.now() - started;
    const price = priceUsage(deps.pricing, provider.model, out.inputTokens, out.outputTokens);
    if (!price.known && !warnedUnknownModels.has(provider.model)) {
      warnedUnknownModels.add(provider.model);
      deps.logger.warn({ model: provider.model }, 'model not in pricing table: costs recorded as 0');
    }
    await recordAttempt(deps, ctx, {
      ...meta,
      provider: provider.name,
      model: provider.model,
      inputTokens: out.inputTokens,
      outputTokens: out.outputTokens,
      costUsd: price.costUsd,
      latencyMs,
      outcome: 'success',
    });
    return {
      text: out.text,
      step: meta.step,
      latencyMs,
      inputTokens: out.inputTokens,
      outputTokens: out.outputTokens,
      totalTokens: out.inputTokens + out.outputTokens,
      costUsd: price.costUsd,
      inputCostPer1k: price.inputCostPer1k,
      outputCostPer1k: price.outputCostPer1k,
    };
  } catch (err) {
    const latencyMs = performance.now() - started;
    const c = classifyError(err);
    await recordAttempt(deps, ctx, {
      ...meta,
      provider: provider.name,
      model: provider.model,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: '0',
      latencyMs,
      outcome: 'error',
      httpStatus: c.httpStatus,
      errorType: c.type,
      errorMessage: c.message,
    });
    deps.logger.warn(
      {
        correlationId: ctx.correlationId,
        workflowId: ctx.workflowId,
        attempt: ctx.attempt,
        step: meta.step,
        errorType: c.type,
        retryable: c.retryable,
        retryAfterMs: c.retryAfterMs,
      },
      'LLM call failed',
    );
    throw toApplicationFailure(c);
  }
}
