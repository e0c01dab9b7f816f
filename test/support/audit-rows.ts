import type { Prisma } from '../../prisma/client';

/**
 * What a worker killed mid-call leaves behind: the attempt's audit row, written before its call
 * as `pending` and never completed (an earlier run of `workflowId`).
 */
export function diedAttemptRow(
  workflowId: string,
  workflowType: string,
  activityType: string,
): Prisma.LlmCallAttemptUncheckedCreateInput {
  return {
    attemptKey: `${workflowId}/earlier-run/1/1/0`,
    workflowId,
    runId: 'earlier-run',
    workflowType,
    activityId: '1',
    activityType,
    attempt: 1,
    callIndex: 0,
    step: 'died',
    framework: 'semantic_kernel',
    provider: 'simulator',
    model: 'm',
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    costUsd: '0',
    latencyMs: 0,
    outcome: 'pending',
    correlationId: 't',
    origin: 'api',
  };
}
