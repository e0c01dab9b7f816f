import type { ActivityOptions, LocalActivityOptions, RetryPolicy } from '@temporalio/common';
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

/**
 * One LLM call per attempt: a timeout of one call, plus the room to wait for pacing and 429s and
 * to try fallback providers when the run has it (a heartbeat then tells a dead worker from a wait).
 */
export function singleCallOptions(s: RunSettings): ActivityOptions {
  if (s.providerWaitMs === undefined)
    return { startToCloseTimeout: s.llmTimeoutMs + 5_000, retry: llmRetryPolicy(s.retry) };
  return {
    startToCloseTimeout: s.llmTimeoutMs + s.providerWaitMs + 5_000,
    heartbeatTimeout: s.llmTimeoutMs + 10_000,
    retry: llmRetryPolicy(s.retry),
  };
}

/**
 * A multi-node graph in one activity: room for every node, and a heartbeat after each node so a
 * dead worker is noticed within one call's time and the retry resumes from the last node.
 */
export function graphOptions(s: RunSettings, maxCalls: number): ActivityOptions {
  return {
    startToCloseTimeout: s.llmTimeoutMs * maxCalls + (s.providerWaitMs ?? 0) + 10_000,
    heartbeatTimeout: s.llmTimeoutMs + 10_000,
    retry: llmRetryPolicy(s.retry),
  };
}

/** Database writes: retried without limit (with backoff) so an outage delays, never loses. */
export const persistOptions: ActivityOptions = {
  startToCloseTimeout: 30_000,
  retry: { initialInterval: 500, backoffCoefficient: 2, maximumInterval: 15_000 },
};

/**
 * The same database write as a local activity (the story's persist step): it runs in the worker
 * that holds the workflow task, so its result reaches the history with that task's completion
 * instead of through an activity task and another workflow task. It is an idempotent upsert
 * keyed by the workflow ID, so running it again after a lost workflow task is harmless. Retried
 * without limit like persistOptions; backoffs longer than a minute become durable timers.
 */
export const persistLocalOptions: LocalActivityOptions = {
  startToCloseTimeout: 30_000,
  retry: persistOptions.retry,
};

/**
 * Room an item activity keeps for storing its story (activities/batch/batch-item.ts): a database
 * outage is waited out inside the attempt, so it delays the item instead of using up attempts.
 */
export const ITEM_STORE_ROOM_MS = 60 * 60_000;

/**
 * A batch item run as one activity (`activity` mode): its calls, then its story row. A dead worker
 * is noticed by the heartbeat timeout, one call's time after the last heartbeat (waits, a graph's
 * nodes and the database retries heartbeat), not by the long start-to-close.
 */
export function itemOptions(s: RunSettings, maxCalls: number): ActivityOptions {
  return {
    startToCloseTimeout: s.llmTimeoutMs * maxCalls + (s.providerWaitMs ?? 0) + ITEM_STORE_ROOM_MS,
    heartbeatTimeout: s.llmTimeoutMs + 10_000,
    retry: llmRetryPolicy(s.retry),
  };
}
