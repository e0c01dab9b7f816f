import { CancelledFailure } from '@temporalio/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { priceUsage, type Pricing } from '../../common/pricing';
import type { GenerationStepRecord } from '../../common/workflow-types';
import type { ActivityDeps } from '../deps';
import { type AuditEntry, beginAttempt, recordAttempt } from './audit';
import type { CallContext } from './call-context';
import {
  classifyError,
  type ClassifiedError,
  isFailover,
  RATE_LIMITED,
  toApplicationFailure,
} from './errors';
import { LearnedLimits } from './learned-limits';
import { paceCostMs, paceKey, reservePaceSlot, type PaceLimits } from './pacer';
import { providerRouter, type ProviderRoute } from './provider-router';

export interface RawLlmOutput {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

export interface LlmCallMeta {
  step: string;
  framework: string;
  callIndex: number;
  /** Prompt tokens at most: pacing counts them with max_tokens, as providers do. */
  promptTokens?: number;
}

export interface LlmCallResult extends GenerationStepRecord {
  text: string;
  provider: string;
  model: string;
}

/** Makes the call with one provider's clients and model. */
export type ProviderCall = (route: ProviderRoute) => Promise<RawLlmOutput>;

const warnedUnknownModels = new Set<string>();
/** Heartbeats at least this often while waiting (pacing, 429): a dead worker is still noticed. */
const WAIT_HEARTBEAT_MS = 5_000;
/** Limits learned from 429s (x-ratelimit-limit-*), per provider/model, when none are configured. */
const learnedLimits = new LearnedLimits();

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

/** The price of a call: the provider entry's own prices, else the pricing table's for its model. */
function priceOf(
  deps: ActivityDeps,
  route: ProviderRoute,
  inputTokens: number,
  outputTokens: number,
): Pricing {
  const { model, prices } = route.config;
  return prices
    ? priceUsage({ [model]: prices }, model, inputTokens, outputTokens)
    : priceUsage(deps.pricing, model, inputTokens, outputTokens);
}

/**
 * Runs one LLM call (whatever library makes it) as tries, each audited, priced per
 * provider/model and written down (begun as pending, completed after):
 *  - each try first takes its slot in the provider's pace (all workers together stay under its limits);
 *  - a 429 is a wait, not a failure: the try is audited, the call waits (retry-after, heartbeating)
 *    and tries again, until PROVIDER_MAX_WAIT_SECONDS; `insufficient_quota` still fails at once;
 *  - a provider that is unwell (5xx, timeout, connection, unknown model) hands the call to the
 *    next provider of the list, and after PROVIDER_FAILOVER_AFTER such failures leaves the rotation.
 * The last failure is rethrown as a Temporal ApplicationFailure carrying the retry semantics.
 */
export async function auditedLlmCall(
  deps: ActivityDeps,
  ctx: CallContext,
  meta: LlmCallMeta,
  call: ProviderCall,
): Promise<LlmCallResult> {
  const router = providerRouter(deps.config);
  const waitUntil = Date.now() + deps.config.env.PROVIDER_MAX_WAIT_SECONDS * 1000;
  const tried = new Set<number>();
  let tryIndex = 0;
  let limitedInARow = 0;
  for (;;) {
    const route = router.pick(tried);
    if (!route) throw new Error('no provider configured'); // unreachable: the primary always is
    await pace(deps, ctx, route, meta);
    const r = await tryOnce(deps, ctx, meta, route, tryIndex++, call);
    if ('result' in r) {
      router.succeeded(route);
      return r.result;
    }
    const c = r.error;
    if (c.type === RATE_LIMITED) {
      router.released(route);
      // Retry-after plus up to half of it again (at least 250 ms), growing a little while 429s
      // keep coming: the callers refused together must not come back together.
      const base = Math.max(c.retryAfterMs ?? 1000, 250) * Math.min(4, 1 + limitedInARow++ / 4);
      const wait = base * (1 + Math.random() / 2);
      if (Date.now() + wait > waitUntil) throw toApplicationFailure(c);
      await waitWithHeartbeats(ctx, wait);
      continue;
    }
    if (isFailover(c)) {
      router.failed(route);
      tried.add(route.index);
      if (router.routes.some((x) => !tried.has(x.index))) continue;
    } else {
      router.released(route);
    }
    throw toApplicationFailure(c);
  }
}

/** Waits for this call's slot in its provider's pace (configured limits, else learned ones). */
async function pace(
  deps: ActivityDeps,
  ctx: CallContext,
  route: ProviderRoute,
  meta: LlmCallMeta,
): Promise<void> {
  const p = route.config;
  const limits =
    p.limits.requestsPerMinute || p.limits.tokensPerMinute
      ? p.limits
      : learnedLimits.get(paceKey(p), deps.config.env.PROVIDER_LEARNED_LIMITS_QUIET_SECONDS * 1000);
  if (!limits) return;
  const cost = paceCostMs(limits, (meta.promptTokens ?? 0) + p.maxTokens);
  if (cost <= 0) return;
  let slot: number;
  try {
    slot = await reservePaceSlot(deps.prisma, deps.config.env.DATABASE_URL, paceKey(p), cost);
  } catch (err) {
    // Unpaced is still safe: a 429 is a wait. The database's own outage handling covers the rest.
    deps.logger.warn(
      { err: (err as Error).message, provider: p.name },
      'pace slot not reserved; calling unpaced',
    );
    return;
  }
  const wait = slot - Date.now();
  if (wait > 0) await waitWithHeartbeats(ctx, wait);
}

async function waitWithHeartbeats(ctx: CallContext, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (let left = ms; left > 0; left = end - Date.now()) {
    ctx.keepAlive?.();
    try {
      await sleep(
        Math.min(left, WAIT_HEARTBEAT_MS),
        undefined,
        ctx.signal ? { signal: ctx.signal } : undefined,
      );
    } catch (err) {
      const reason: unknown = ctx.signal?.reason;
      throw reason instanceof Error ? reason : new CancelledFailure(String((err as Error).message));
    }
  }
}

/**
 * Remembers the limits a 429 stated, so later calls of this process pace themselves by them
 * until the provider has been quiet (no 429) for PROVIDER_LEARNED_LIMITS_QUIET_SECONDS.
 */
function learnLimits(deps: ActivityDeps, route: ProviderRoute, headers: unknown): void {
  const p = route.config;
  if (p.limits.requestsPerMinute || p.limits.tokensPerMinute) return;
  const get = (name: string): number | undefined => {
    if (!headers) return undefined;
    const v =
      typeof (headers as Headers).get === 'function'
        ? (headers as Headers).get(name)
        : (headers as Record<string, unknown>)[name];
    const n = Number(v);
    return typeof v === 'string' && Number.isFinite(n) && n > 0 ? n : undefined;
  };
  const stated: PaceLimits = {
    requestsPerMinute: get('x-ratelimit-limit-requests'),
    tokensPerMinute: get('x-ratelimit-limit-tokens'),
  };
  // A 429 without limits still renews the ones learned before: the provider is still refusing.
  const learned = learnedLimits.onRateLimited(
    paceKey(p),
    stated.requestsPerMinute || stated.tokensPerMinute ? stated : undefined,
  );
  if (!learned) return;
  deps.logger.info(
    {
      provider: p.name,
      model: p.model,
      ...learned,
      quietSeconds: deps.config.env.PROVIDER_LEARNED_LIMITS_QUIET_SECONDS,
    },
    'provider limits learned from a 429: calls paced by them until the provider is quiet',
  );
}

type TryOutcome = { result: LlmCallResult } | { error: ClassifiedError };

async function tryOnce(
  deps: ActivityDeps,
  ctx: CallContext,
  meta: LlmCallMeta,
  route: ProviderRoute,
  tryIndex: number,
  call: ProviderCall,
): Promise<TryOutcome> {
  const { name: provider, model } = route.config;
  const key = {
    step: meta.step,
    framework: meta.framework,
    callIndex: meta.callIndex,
    ...(tryIndex ? { tryIndex } : {}),
  };
  const begun = await beginAttempt(deps, ctx, { ...key, provider, model });
  const started = performance.now();
  try {
    const out = await call(route);
    if (!out.text.trim()) {
      throw new BilledCallError(
        'ProviderEmptyCompletion',
        'The provider returned an empty completion',
        out,
      );
    }
    const latencyMs = performance.now() - started;
    const price = priceOf(deps, route, out.inputTokens, out.outputTokens);
    if (!price.known && !warnedUnknownModels.has(model)) {
      warnedUnknownModels.add(model);
      deps.logger.warn({ model }, 'model not in pricing table: costs recorded as 0');
    }
    const entry: AuditEntry = {
      ...key,
      provider,
      model,
      inputTokens: out.inputTokens,
      outputTokens: out.outputTokens,
      costUsd: price.costUsd,
      latencyMs,
      outcome: 'success',
    };
    const deferredAudit = await recordAttempt(deps, ctx, entry, begun);
    deps.metrics?.observeLlmCall(entry);
    return {
      result: {
        ...(deferredAudit ? { deferredAudit } : {}),
        text: out.text,
        step: meta.step,
        provider,
        model,
        latencyMs,
        inputTokens: out.inputTokens,
        outputTokens: out.outputTokens,
        totalTokens: out.inputTokens + out.outputTokens,
        costUsd: price.costUsd,
        inputCostPer1k: price.inputCostPer1k,
        outputCostPer1k: price.outputCostPer1k,
      },
    };
  } catch (err) {
    const latencyMs = performance.now() - started;
    // Billed failures keep their usage and price; other failures cost nothing we can know of.
    const billed = err instanceof BilledCallError ? err.usage : undefined;
    const c: ClassifiedError =
      err instanceof BilledCallError
        ? { type: err.type, message: err.message, retryable: true }
        : classifyError(err);
    if (c.type === RATE_LIMITED) learnLimits(deps, route, (err as { headers?: unknown }).headers);
    const price = billed && priceOf(deps, route, billed.inputTokens, billed.outputTokens);
    const entry: AuditEntry = {
      ...key,
      provider,
      model,
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
    // 429s come in bursts and are waited out: debug, not a warning each.
    deps.logger[c.type === RATE_LIMITED ? 'debug' : 'warn'](
      {
        correlationId: ctx.correlationId,
        workflowId: ctx.workflowId,
        attempt: ctx.attempt,
        try: tryIndex,
        provider,
        model,
        step: meta.step,
        errorType: c.type,
        retryable: c.retryable,
        retryAfterMs: c.retryAfterMs,
      },
      'LLM call failed',
    );
    return { error: c };
  }
}
