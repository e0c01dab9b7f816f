import type { WorkflowHandle } from '@temporalio/client';
import { optionalTsToMs } from '../../temporal/sdk-internals';
import type { ActivityEntry, ChildEntry, TimelineEntry } from '../../common/schemas/run-responses';

export type { ActivityEntry, ChildEntry, TimelineEntry };

/**
 * A run's event history as something a person can read: one line per meaningful event (workflow
 * tasks left out unless they failed), plus activities and child workflows folded into one entry
 * each with attempts, durations, failures and retry state.
 *
 * Temporal writes an activity's retries into the ActivityTaskStarted event of the final attempt
 * (its `attempt` and the previous attempt's `lastFailure`), not as events of their own; the
 * audit trail (one row per LLM call attempt) holds every attempt, and the API joins it in.
 */
type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
export type HistoryEvent = NonNullable<History['events']>[number];

interface FailureLike {
  message?: string | null;
  cause?: FailureLike | null;
  applicationFailureInfo?: { type?: string | null; nonRetryable?: boolean | null } | null;
  timeoutFailureInfo?: { timeoutType?: unknown } | null;
  canceledFailureInfo?: unknown;
  terminatedFailureInfo?: unknown;
}

export interface Timeline {
  eventCount: number;
  events: TimelineEntry[];
  activities: ActivityEntry[];
  children: ChildEntry[];
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v == null ? '' : JSON.stringify(v);
const num = (v: unknown): number =>
  typeof v === 'number'
    ? v
    : Number((v as { toString(): string } | null | undefined)?.toString() ?? 0);

export function describeFailure(f: FailureLike | null | undefined): string | null {
  if (!f) return null;
  let e: FailureLike = f;
  while (e.cause) e = e.cause;
  const type =
    e.applicationFailureInfo?.type ??
    (e.timeoutFailureInfo
      ? 'Timeout'
      : e.canceledFailureInfo
        ? 'Cancelled'
        : e.terminatedFailureInfo
          ? 'Terminated'
          : null);
  const outer = e === f ? '' : ` (${f.message ?? ''})`;
  return `${type ? `${type}: ` : ''}${e.message ?? ''}${outer}`.slice(0, 1000);
}

/** `activityTaskScheduledEventAttributes` -> `ActivityTaskScheduled`. */
function eventKind(e: HistoryEvent): { type: string; attrs: Record<string, unknown> } {
  for (const key of Object.keys(e)) {
    if (key.endsWith('EventAttributes') && (e as Record<string, unknown>)[key]) {
      const name = key.slice(0, -'EventAttributes'.length);
      return {
        type: name[0].toUpperCase() + name.slice(1),
        attrs: (e as Record<string, unknown>)[key] as Record<string, unknown>,
      };
    }
  }
  return { type: `Event${String(e.eventType)}`, attrs: {} };
}

const retryStateName = (v: unknown): string | null => {
  const names: Record<number, string> = {
    1: 'in progress',
    2: 'non-retryable failure',
    3: 'timeout',
    4: 'maximum attempts reached',
    5: 'retry policy not set',
    6: 'internal server error',
    7: 'cancel requested',
  };
  return typeof v === 'number' && v > 0 ? (names[v] ?? `state ${v}`) : null;
};

const QUIET = new Set(['WorkflowTaskScheduled', 'WorkflowTaskStarted', 'WorkflowTaskCompleted']);

/** Marker the Temporal SDK core writes for a finished local activity. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

interface LocalActivityMarker {
  activityId: string;
  activityType: string;
  attempt: number | null;
  scheduledMs: number | null;
  completedMs: number | null;
}

/** Decodes a JSON payload (`json/plain`) of marker details; null when it is anything else. */
function jsonPayload(
  p: { data?: Uint8Array | null; metadata?: Record<string, Uint8Array> | null } | undefined,
): unknown {
  if (!p?.data) return null;
  const encoding = p.metadata?.encoding
    ? Buffer.from(p.metadata.encoding).toString('utf8')
    : 'json/plain';
  if (encoding !== 'json/plain') return null;
  try {
    return JSON.parse(Buffer.from(p.data).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** `{ seconds, nanos }` or an RFC 3339 string (how core's JSON may spell a timestamp) -> ms. */
function timestampMs(v: unknown): number | null {
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  if (v && typeof v === 'object' && 'seconds' in v) {
    const o = v as { seconds?: unknown; nanos?: unknown };
    return num(o.seconds) * 1000 + Math.floor(num(o.nanos ?? 0) / 1e6);
  }
  return null;
}

/** The local activity a `core_local_activity` marker records (LocalActivityMarkerData). */
function localActivityOf(a: Record<string, unknown>): LocalActivityMarker | null {
  const details = a.details as
    Record<string, { payloads?: Parameters<typeof jsonPayload>[0][] }> | undefined;
  const data = jsonPayload(details?.data?.payloads?.[0]) as Record<string, unknown> | null;
  if (!data || typeof data !== 'object') return null;
  const pick = (...keys: string[]) =>
    keys.map((k) => data[k]).find((v) => v !== undefined && v !== null);
  const activityType = pick('activity_type', 'activityType');
  if (typeof activityType !== 'string') return null;
  const attempt = pick('attempt');
  return {
    activityId: str(pick('activity_id', 'activityId', 'seq')),
    activityType,
    attempt: attempt === undefined ? null : num(attempt) || null,
    scheduledMs: timestampMs(pick('original_schedule_time', 'originalScheduleTime')),
    completedMs: timestampMs(pick('complete_time', 'completeTime')),
  };
}

export function buildTimeline(events: HistoryEvent[], { verbose = false } = {}): Timeline {
  const out: TimelineEntry[] = [];
  const activities = new Map<
    number,
    ActivityEntry & { scheduledMs: number | null; startedMs: number | null }
  >();
  const children = new Map<number, ChildEntry & { initiatedMs: number | null }>();
  const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

  let lastTaskStartedMs: number | null = null; // local activities run inside workflow tasks
  for (const e of events) {
    const { type, attrs: a } = eventKind(e);
    const ms = optionalTsToMs(e.eventTime) ?? null;
    if (type === 'WorkflowTaskStarted') lastTaskStartedMs = ms;
    const eventId = num(e.eventId);
    let summary = type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    const act = (id: unknown) => activities.get(num(id));
    const child = (id: unknown) => children.get(num(id));
    const closeAct = (
      entry: ReturnType<typeof act>,
      status: ActivityEntry['status'],
      failure?: FailureLike | null,
      retryState?: unknown,
    ) => {
      if (!entry) return;
      entry.status = status;
      entry.closedAt = iso(ms);
      entry.durationMs = ms !== null && entry.scheduledMs !== null ? ms - entry.scheduledMs : null;
      entry.lastAttemptMs = ms !== null && entry.startedMs !== null ? ms - entry.startedMs : null;
      entry.failure = describeFailure(failure);
      entry.retryState = retryStateName(retryState);
      const took = entry.durationMs !== null ? ` after ${entry.durationMs} ms` : '';
      summary = `activity ${entry.activityType} ${status.replace('_', ' ')}${took}${entry.attempt ? ` (attempt ${entry.attempt})` : ''}${entry.failure ? `: ${entry.failure}` : ''}`;
    };
    const closeChild = (
      entry: ReturnType<typeof child>,
      status: ChildEntry['status'],
      failure?: FailureLike | null,
    ) => {
      if (!entry) return;
      entry.status = status;
      entry.closedAt = iso(ms);
      entry.durationMs = ms !== null && entry.initiatedMs !== null ? ms - entry.initiatedMs : null;
      entry.failure = describeFailure(failure);
      summary = `child ${entry.workflowId} ${status.replace('_', ' ')}${entry.failure ? `: ${entry.failure}` : ''}`;
    };

    switch (type) {
      case 'WorkflowExecutionStarted': {
        const wt = (a.workflowType as { name?: string } | undefined)?.name;
        summary = `workflow ${wt ?? ''} started${a.continuedExecutionRunId ? ' (continued as new)' : ''}${num(a.attempt) > 1 ? ` (attempt ${num(a.attempt)})` : ''}`;
        break;
      }
      case 'WorkflowExecutionCompleted':
        summary = 'workflow completed';
        break;
      case 'WorkflowExecutionFailed':
        summary = `workflow failed: ${describeFailure(a.failure as FailureLike)}`;
        break;
      case 'WorkflowExecutionTerminated':
        summary = `workflow terminated${a.reason ? `: ${str(a.reason)}` : ''}`;
        break;
      case 'WorkflowExecutionCanceled':
        summary = 'workflow cancelled';
        break;
      case 'WorkflowExecutionCancelRequested':
        summary = `cancellation requested${a.cause ? `: ${str(a.cause)}` : ''}`;
        break;
      case 'WorkflowExecutionContinuedAsNew':
        summary = `continued as new run ${str(a.newExecutionRunId)}`;
        break;
      case 'WorkflowExecutionTimedOut':
        summary = 'workflow timed out';
        break;
      case 'WorkflowExecutionSignaled':
        summary = `signal ${str(a.signalName)} received`;
        break;
      case 'WorkflowExecutionUpdateAccepted': {
        const name = (a.acceptedRequest as { input?: { name?: string } } | undefined)?.input?.name;
        summary = `update ${name ?? ''} accepted`;
        break;
      }
      case 'WorkflowExecutionUpdateCompleted': {
        const failure = (a.outcome as { failure?: FailureLike } | undefined)?.failure;
        summary = failure ? `update failed: ${describeFailure(failure)}` : 'update completed';
        break;
      }
      case 'WorkflowTaskFailed':
        summary = `workflow task failed: ${describeFailure(a.failure as FailureLike)}`;
        break;
      case 'WorkflowTaskTimedOut':
        summary = 'workflow task timed out (worker slow or gone)';
        break;
      case 'ActivityTaskScheduled': {
        const retry = a.retryPolicy as { maximumAttempts?: number } | undefined;
        const entry = {
          activityId: str(a.activityId),
          activityType: (a.activityType as { name?: string } | undefined)?.name ?? '?',
          status: 'scheduled' as const,
          scheduledAt: iso(ms),
          startedAt: null,
          closedAt: null,
          attempt: null,
          retries: 0,
          maximumAttempts: retry?.maximumAttempts ? num(retry.maximumAttempts) : null,
          durationMs: null,
          lastAttemptMs: null,
          previousFailure: null,
          failure: null,
          retryState: null,
          scheduledMs: ms,
          startedMs: null,
        };
        activities.set(eventId, entry);
        summary = `activity ${entry.activityType} scheduled (id ${entry.activityId})`;
        break;
      }
      case 'ActivityTaskStarted': {
        const entry = act(a.scheduledEventId);
        if (entry) {
          entry.status = 'started';
          entry.startedAt = iso(ms);
          entry.startedMs = ms;
          entry.attempt = num(a.attempt) || 1;
          entry.retries = entry.attempt - 1;
          entry.previousFailure = describeFailure(a.lastFailure as FailureLike);
          summary = `activity ${entry.activityType} started, attempt ${entry.attempt}${entry.previousFailure ? ` (previous attempt: ${entry.previousFailure})` : ''}`;
        }
        break;
      }
      case 'ActivityTaskCompleted':
        closeAct(act(a.scheduledEventId), 'completed');
        break;
      case 'ActivityTaskFailed':
        closeAct(act(a.scheduledEventId), 'failed', a.failure as FailureLike, a.retryState);
        break;
      case 'ActivityTaskTimedOut':
        closeAct(act(a.scheduledEventId), 'timed_out', a.failure as FailureLike, a.retryState);
        break;
      case 'ActivityTaskCancelRequested': {
        const entry = act(a.scheduledEventId);
        if (entry) entry.status = 'cancel_requested';
        summary = `activity ${entry?.activityType ?? ''} cancellation requested`;
        break;
      }
      case 'ActivityTaskCanceled':
        closeAct(act(a.scheduledEventId), 'cancelled');
        break;
      case 'TimerStarted':
        summary = `timer ${str(a.timerId)} started (${optionalTsToMs(a.startToFireTimeout as never) ?? '?'} ms)`;
        break;
      case 'TimerFired':
        summary = `timer ${str(a.timerId)} fired`;
        break;
      case 'TimerCanceled':
        summary = `timer ${str(a.timerId)} cancelled`;
        break;
      case 'StartChildWorkflowExecutionInitiated': {
        const entry = {
          workflowId: str(a.workflowId),
          workflowType: (a.workflowType as { name?: string } | undefined)?.name ?? '?',
          runId: null,
          status: 'initiated' as const,
          initiatedAt: iso(ms),
          closedAt: null,
          durationMs: null,
          failure: null,
          initiatedMs: ms,
        };
        children.set(eventId, entry);
        summary = `child ${entry.workflowType} ${entry.workflowId} requested`;
        break;
      }
      case 'StartChildWorkflowExecutionFailed': {
        const entry = child(a.initiatedEventId);
        if (entry) entry.status = 'start_failed';
        summary = `child ${str(a.workflowId)} not started: ${a.cause === 1 ? 'workflow ID already in use' : `cause ${str(a.cause)}`}`;
        break;
      }
      case 'ChildWorkflowExecutionStarted': {
        const entry = child(a.initiatedEventId);
        if (entry) {
          entry.status = 'running';
          entry.runId = (a.workflowExecution as { runId?: string } | undefined)?.runId ?? null;
        }
        summary = `child ${entry?.workflowId ?? ''} started`;
        break;
      }
      case 'ChildWorkflowExecutionCompleted':
        closeChild(child(a.initiatedEventId), 'completed');
        break;
      case 'ChildWorkflowExecutionFailed':
        closeChild(child(a.initiatedEventId), 'failed', a.failure as FailureLike);
        break;
      case 'ChildWorkflowExecutionCanceled':
        closeChild(child(a.initiatedEventId), 'cancelled');
        break;
      case 'ChildWorkflowExecutionTimedOut':
        closeChild(child(a.initiatedEventId), 'timed_out');
        break;
      case 'ChildWorkflowExecutionTerminated':
        closeChild(child(a.initiatedEventId), 'terminated');
        break;
      case 'UpsertWorkflowSearchAttributes': {
        const fields = Object.keys(
          (a.searchAttributes as { indexedFields?: object } | undefined)?.indexedFields ?? {},
        );
        summary = `search attributes set: ${fields.join(', ')}`;
        break;
      }
      case 'MarkerRecorded': {
        const local = a.markerName === LOCAL_ACTIVITY_MARKER ? localActivityOf(a) : null;
        if (!local) {
          summary = `marker ${str(a.markerName)} recorded`;
          break;
        }
        // A local activity leaves one marker when it is done (no scheduled/started events): one
        // entry with what the marker holds (type, attempt, schedule and completion time).
        const closedMs = local.completedMs ?? ms;
        // The marker's schedule time is only meaningful after a retry (core fills it in late for a
        // first attempt); otherwise the activity ran inside the workflow task that started last.
        const scheduledMs =
          local.scheduledMs !== null && closedMs !== null && local.scheduledMs <= closedMs
            ? local.scheduledMs
            : lastTaskStartedMs;
        const cancelled = Boolean(
          (a.failure as FailureLike | null | undefined)?.canceledFailureInfo,
        );
        const entry = {
          activityId: local.activityId,
          activityType: local.activityType,
          status: (a.failure
            ? cancelled
              ? 'cancelled'
              : 'failed'
            : 'completed') as ActivityEntry['status'],
          scheduledAt: iso(scheduledMs),
          startedAt: null,
          closedAt: iso(closedMs),
          attempt: local.attempt,
          retries: local.attempt ? local.attempt - 1 : 0,
          maximumAttempts: null,
          durationMs:
            scheduledMs !== null && closedMs !== null ? Math.max(0, closedMs - scheduledMs) : null,
          lastAttemptMs: null,
          previousFailure: null,
          failure: describeFailure(a.failure as FailureLike | null | undefined),
          retryState: null,
          scheduledMs,
          startedMs: null,
        };
        activities.set(eventId, entry);
        const took = entry.durationMs !== null ? ` after ${entry.durationMs} ms` : '';
        summary = `local activity ${entry.activityType} ${entry.status}${took}${entry.attempt ? ` (attempt ${entry.attempt})` : ''}${entry.failure ? `: ${entry.failure}` : ''}`;
        break;
      }
      default:
        break;
    }
    if (verbose || !QUIET.has(type)) out.push({ eventId, time: iso(ms), type, summary });
  }

  const strip = <T extends object>(o: T, ...keys: string[]) =>
    Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))) as T;
  return {
    eventCount: events.length,
    events: out,
    activities: [...activities.values()].map((x) => strip(x, 'scheduledMs', 'startedMs')),
    children: [...children.values()].map((x) => strip(x, 'initiatedMs')),
  };
}
