import type { ActivityOptions, RetryPolicy } from '@temporalio/common';
import type { RetrySettings } from '../common/config';
import type { RunSettings } from '../common/workflow-types';

/** The original's RETRY_* settings, as a Temporal retry policy for LLM activities. */
export function llmRetryPolicy(r: RetrySettings): RetryPolicy {
  return {
    maximumAttempts: r.enabled ? r.maximumAttempts : 1,
    initialInterval: r.initialIntervalMs,
    maximumInterval: r.maximumIntervalMs,
    backoffCoefficient: r.backoffCoefficient,
  };
}

/** One LLM call per attempt: a timeout of one call. */
export function singleCallOptions(s: RunSettings): ActivityOptions {
  return { startToCloseTimeout: s.llmTimeoutMs + 5_000, retry: llmRetryPolicy(s.retry) };
}

/**
 * A multi-node graph in one activity: room for every node, and a heartbeat after each node so a
 * dead worker is noticed within one call's time and the retry resumes from the last node.
 */
export function graphOptions(s: RunSettings, maxCalls: number): ActivityOptions {
  return {
    startToCloseTimeout: s.llmTimeoutMs * maxCalls + 10_000,
    heartbeatTimeout: s.llmTimeoutMs + 10_000,
    retry: llmRetryPolicy(s.retry),
  };
}

/** Database writes: retried without limit (with backoff) so an outage delays, never loses. */
export const persistOptions: ActivityOptions = {
  startToCloseTimeout: 30_000,
  retry: { initialInterval: 500, backoffCoefficient: 2, maximumInterval: 15_000 },
};
