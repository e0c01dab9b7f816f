import { ApplicationFailure } from '@temporalio/common';
import Decimal from 'decimal.js';
import type { AppConfig } from '../../common/config';
import { addUsd, compareUsd, usd, type Usd } from '../../common/money';
import { contextWindowOf, type PricingTable } from '../../common/pricing';
import { type CallEstimate, type PricedProvider, worstCaseOverProviders } from './cost-estimate';

/**
 * Bounded requests: every single request (story, chat turn, context prompt, batch item) is
 * checked before its first LLM call, in the API before anything starts and again in the
 * activity before the call (MCP, batches and anything else that starts workflows go through
 * the activity). Two limits:
 *  - the model's context window: the largest call's input tokens + MAX_TOKENS for the answer;
 *  - MAX_REQUEST_COST_USD: the request's worst case, every call it can make at its input
 *    tokens × input price + MAX_TOKENS × output price (cost-estimate.ts prices it).
 * Input tokens are the estimator's upper bound (tokenizer or chars / 4, the larger).
 */

export const REQUEST_TOO_LARGE = 'RequestTooLarge';
export const REQUEST_OVER_COST_CEILING = 'RequestOverCostCeiling';
export type RequestBoundType = typeof REQUEST_TOO_LARGE | typeof REQUEST_OVER_COST_CEILING;

/** HTTP status of each refusal; api/core/workflow-errors.ts maps both the API's check and a failed run's. */
export const REQUEST_BOUND_STATUS: Readonly<Record<RequestBoundType, number>> = {
  [REQUEST_TOO_LARGE]: 413,
  [REQUEST_OVER_COST_CEILING]: 422,
};

export function isRequestBoundType(type: string | undefined): type is RequestBoundType {
  return type === REQUEST_TOO_LARGE || type === REQUEST_OVER_COST_CEILING;
}

export interface RequestLimits {
  /** The primary's model (its context window is the one checked). */
  model: string;
  pricing: PricingTable;
  /** The primary first, then the fallbacks: the cost ceiling holds whichever a call goes to. */
  providers: readonly PricedProvider[];
  /** Tokens per call, prompt and answer together. */
  contextWindow: number;
  /** false: the model has no `contextWindow` in the pricing table, DEFAULT_CONTEXT_WINDOW applies. */
  windowFromTable: boolean;
  maxTokens: number;
  maxCostUsd: Usd;
}

export function requestLimits(config: AppConfig, pricing: PricingTable): RequestLimits {
  const window = contextWindowOf(pricing, config.provider.model, config.env.DEFAULT_CONTEXT_WINDOW);
  return {
    model: config.provider.model,
    pricing,
    providers: config.providers,
    contextWindow: window.tokens,
    windowFromTable: window.fromTable,
    maxTokens: config.provider.maxTokens,
    maxCostUsd: usd(config.env.MAX_REQUEST_COST_USD),
  };
}

/** One LLM call's worst case. */
export type CallBound = Pick<CallEstimate, 'inputTokens' | 'worstCaseUsd'>;

export interface BoundedRequest {
  /** Names the request in the message, e.g. "The context prompt once [context] is filled in". */
  what: string;
  /** Every LLM call the request can make, at its worst. */
  calls: CallBound[];
  /** What the caller can change, one sentence each, appended to the message. */
  fix: { tokens: string; cost: string };
}

export interface BoundsViolation {
  type: RequestBoundType;
  message: string;
}

/** A single call of `inputTokens` at its worst (context prompts, chat turns). */
export function singleCall(limits: RequestLimits, inputTokens: number): CallBound {
  return {
    inputTokens,
    worstCaseUsd: worstCaseOverProviders(limits.pricing, limits.providers, inputTokens),
  };
}

const count = (n: number) => n.toLocaleString('en-US');

/** Whose prices a worst case is at: the primary's, or the dearest of it and its fallbacks. */
function pricesNamed(limits: RequestLimits): string {
  const models = [...new Set(limits.providers.map((p) => p.model))];
  return limits.providers.length > 1
    ? `the dearest of the provider's and its fallbacks' prices (${models.join(', ')})`
    : `${limits.model}'s prices`;
}

/** "$5.00", "$0.012345": at least cents, at most the six decimals costs are kept in. */
export function formatUsd(v: Decimal.Value): string {
  const d = new Decimal(usd(v));
  return `$${d.decimalPlaces() < 2 ? d.toFixed(2) : d.toFixed()}`;
}

/** The first limit the request is over (the window first: a call that cannot be made costs nothing), or null. */
export function checkRequestBounds(
  limits: RequestLimits,
  req: BoundedRequest,
): BoundsViolation | null {
  const largest = req.calls.reduce((n, c) => Math.max(n, c.inputTokens), 0);
  const room = Math.max(0, limits.contextWindow - limits.maxTokens);
  if (largest > room) {
    const window = limits.windowFromTable
      ? `${count(limits.contextWindow)} tokens`
      : `${count(limits.contextWindow)} tokens, DEFAULT_CONTEXT_WINDOW: the pricing table gives no contextWindow for it`;
    const one = req.calls.length > 1 ? ' in its largest LLM call' : '';
    return {
      type: REQUEST_TOO_LARGE,
      message:
        `${req.what} is ${count(largest)} tokens${one}, more than the ${count(room)} input tokens that fit in the context window of ` +
        `${limits.model} (${window}, less MAX_TOKENS=${count(limits.maxTokens)} kept for the answer). ${req.fix.tokens}`,
    };
  }
  const worst = req.calls.length ? addUsd(...req.calls.map((c) => c.worstCaseUsd)) : usd(0);
  if (compareUsd(worst, limits.maxCostUsd) > 0) {
    const inputs = req.calls.reduce((n, c) => n + c.inputTokens, 0);
    const calls = req.calls.length === 1 ? '1 LLM call' : `${req.calls.length} LLM calls`;
    return {
      type: REQUEST_OVER_COST_CEILING,
      message:
        `${req.what} could cost up to ${formatUsd(worst)} (${calls}: ${count(inputs)} input tokens, and up to ` +
        `${count(limits.maxTokens)} output tokens per call, at ${pricesNamed(limits)}), over the per-request cost ceiling ` +
        `of ${formatUsd(limits.maxCostUsd)} (MAX_REQUEST_COST_USD). ${req.fix.cost}`,
    };
  }
  return null;
}

/** In an activity, before the first LLM call: a violation fails the run for good (no retry can fix it). */
export function assertRequestBounds(limits: RequestLimits, req: BoundedRequest): void {
  const v = checkRequestBounds(limits, req);
  if (v) throw ApplicationFailure.nonRetryable(v.message, v.type);
}
