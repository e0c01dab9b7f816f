import { priceUsage } from '../../common/pricing';
import type { GenerationStepRecord } from '../../common/workflow-types';
import type { ActivityDeps } from '../deps';
import { type AuditEntry, beginAttempt, recordAttempt } from './audit';
import type { CallContext } from './call-context';
import { classifyError, type ClassifiedError, toApplicationFailure } from './errors';

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
 * A failure after the provider answered and billed (e.g. an empty completion we refuse): the
 * attempt is an error, but its tokens and cost still go in the audit row.
 */
export class BilledCallError extends Error {
  override name = 'BilledCallError';
  constructor(
    readonly type: string,
    message: string,
    readonly usage: { inputTokens: number; outputTokens: number },
  ) {
    super(message);
  }
}

/**
 * Runs one provider call (whatever library makes it), prices it, and writes its audit row,
 * success or failure: begun before the call (pending), completed after it. Failures are rethrown as Temporal ApplicationFailures carrying the
 * retry semantics (non-retryable type names, retry-after as nextRetryDelay).
 */
export async function auditedLlmCall(
  deps: ActivityDeps,
  ctx: CallContext,
  meta: LlmCallMeta,
  call: () => Promise<RawLlmOutput>,
): Promise<LlmCallResult> {
  const { provider } = deps.config;
  const begun = await beginAttempt(deps, ctx, { ...meta, provider: provider.name, model: provider.model });
  const started = performance.now();
  try {
    const out = await call();
    if (!out.text.trim()) {
      throw new BilledCallError('ProviderEmptyCompletion', 'The provider returned an empty completion', out);
    }
    const latencyMs = performance.now() - started;
    const price = priceUsage(deps.pricing, provider.model, out.inputTokens, out.outputTokens);
    if (!price.known && !warnedUnknownModels.has(provider.model)) {
      warnedUnknownModels.add(provider.model);
      deps.logger.warn({ model: provider.model }, 'model not in pricing table: costs recorded as 0');
    }
    const entry: AuditEntry = {
      ...meta,
      provider: provider.name,
      model: provider.model,
      inputTokens: out.inputTokens,
      outputTokens: out.outputTokens,
      costUsd: price.costUsd,
      latencyMs,
      outcome: 'success',
    };
    const deferredAudit = await recordAttempt(deps, ctx, entry, begun);
    deps.metrics?.observeLlmCall(entry);
    return {
      ...(deferredAudit ? { deferredAudit } : {}),
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
    // Billed failures keep their usage and price; other failures cost nothing we can know of.
    const billed = err instanceof BilledCallError ? err.usage : undefined;
    const c: ClassifiedError =
      err instanceof BilledCallError ? { type: err.type, message: err.message, retryable: true } : classifyError(err);
    const price = billed && priceUsage(deps.pricing, provider.model, billed.inputTokens, billed.outputTokens);
    const entry: AuditEntry = {
      ...meta,
      provider: provider.name,
      model: provider.model,
      inputTokens: billed?.inputTokens ?? 0,
      outputTokens: billed?.outputTokens ?? 0,
      costUsd: price ? price.costUsd : '0',
      latencyMs,
      outcome: 'error',
      httpStatus: c.httpStatus,
      errorType: c.type,
      errorMessage: c.message,
    };
    await recordAttempt(deps, ctx, entry, begun);
    deps.metrics?.observeLlmCall(entry);
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
