import { Context } from '@temporalio/activity';
import type { Correlation } from '../../common/workflow-types';

/** Identity of the activity attempt making LLM calls; the audit key is derived from it. */
export interface CallContext extends Correlation {
  workflowId: string;
  runId: string;
  workflowType: string;
  activityId: string;
  activityType: string;
  attempt: number;
  signal?: AbortSignal;
  heartbeat(details?: unknown): void;
  /** Heartbeats again with the last details: a wait (pacing, 429) must not erase a resume point. */
  keepAlive?(): void;
  heartbeatDetails<T>(): T | undefined;
}

/** The running activity's context; undefined outside one (benchmarks, scripts). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/**
 * Reads the running activity's info; outside an activity (benchmarks, scripts) a direct call.
 * `workflowId`: the key the audit rows go under when it is not the activity's workflow (a batch
 * item run as an activity of the batch: its `<batchId>/item-<n>`, as in a child run of its own).
 */
export function currentCallContext(correlation: Correlation, workflowId?: string): CallContext {
  const ctx = activityContext();
  if (!ctx) {
    const id = `direct-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    return {
      ...correlation,
      workflowId: workflowId ?? id,
      runId: id,
      workflowType: 'direct',
      activityId: 'direct',
      activityType: 'direct',
      attempt: 1,
      heartbeat: () => undefined,
      keepAlive: () => undefined,
      heartbeatDetails: () => undefined,
    };
  }
  const info = ctx.info;
  let last: unknown = info.heartbeatDetails;
  return {
    ...correlation,
    // Standalone activities have no workflow; ours always run inside one.
    workflowId: workflowId ?? info.workflowExecution?.workflowId ?? 'standalone',
    runId: info.workflowExecution?.runId ?? 'standalone',
    workflowType: info.workflowType ?? 'standalone',
    activityId: info.activityId,
    activityType: info.activityType,
    attempt: info.attempt,
    signal: ctx.cancellationSignal,
    heartbeat: (d) => {
      last = d;
      ctx.heartbeat(d);
    },
    keepAlive: () => ctx.heartbeat(last),
    heartbeatDetails: <T>() => info.heartbeatDetails as T | undefined,
  };
}

/** The workflow ID of the running activity; undefined outside one (benchmarks, scripts). */
export function activityWorkflowId(): string | undefined {
  return activityContext()?.info.workflowExecution?.workflowId;
}
