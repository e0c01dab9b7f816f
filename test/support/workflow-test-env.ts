import type { temporal } from '../../temporal/sdk-internals';
import type { Client } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { RunSettings } from '../../common/workflow-types';
import { resolveTemporalCli } from '../../temporal/dev-server/cli';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../temporal/dev-server/dev-server';
import { SEARCH_ATTRIBUTES } from '../../temporal/search-attributes';

/**
 * Fast workflow tests: the real workflow code on a real Temporal server (`temporal server
 * start-dev` from the CLI that temporal/dev-server/cli.ts resolves, in memory, on a free port) with the
 * activities replaced by small in-test functions. One server and one bundle per spec file; each
 * test gets its own task queue and worker, so its stubs see only its own workflows.
 */
export interface FastWorkflowEnv {
  client: Client;
  /**
   * Runs `body` while a worker with these activities polls a fresh task queue, then shuts the
   * worker down (a failing body still stops it).
   */
  withWorker<T>(activities: object, body: (taskQueue: string) => Promise<T>): Promise<T>;
  teardown(): Promise<void>;
}

/** Stubs fail or succeed at once: one attempt, no backoff. */
export const stubRunSettings: RunSettings = {
  retry: {
    enabled: false,
    maximumAttempts: 1,
    initialIntervalMs: 100,
    maximumIntervalMs: 100,
    backoffCoefficient: 1,
  },
  llmTimeoutMs: 10_000,
};

/** For `waitFor` on in-process events: they take milliseconds, the deadline is only for a hang. */
export const FAST_WAIT = { timeoutMs: 15_000, everyMs: 20 };

export async function startFastWorkflowEnv(): Promise<FastWorkflowEnv> {
  // The SDK's INFO lines (worker state, bundle stats) and WARN lines (every failure a test
  // provokes on purpose) would drown the test output.
  try {
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
  } catch {
    /* already installed by an earlier spec file in this Jest worker */
  }
  const cli = await resolveTemporalCli({ log: () => undefined });
  const [env, code] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli },
        searchAttributes: [...SEARCH_ATTRIBUTES],
        // The dynamic config the platform's dev server runs with (updates, eager activities).
        extraArgs: Object.entries(DEV_SERVER_DYNAMIC_CONFIG).flatMap(([k, v]) => [
          '--dynamic-config-value',
          `${k}=${JSON.stringify(v)}`,
        ]),
      },
    }),
    bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      logger: new DefaultLogger('ERROR'),
    }).then((b) => b.code),
  ]);
  return {
    client: env.client,
    async withWorker(activities, body) {
      const taskQueue = `fast-${randomUUID().slice(0, 8)}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: { code },
        activities,
        // A stub still waiting when the test ends is cancelled after this (it must honour it).
        shutdownGraceTime: '1s',
        // Gated stubs heartbeat while they wait: unthrottled, a cancellation reaches them at once.
        defaultHeartbeatThrottleInterval: '50ms',
        maxHeartbeatThrottleInterval: '50ms',
      });
      return worker.runUntil(body(taskQueue));
    },
    teardown: () => env.teardown(),
  };
}

/**
 * Promises a test resolves by key: a stubbed activity waits on its key's gate, so the test
 * decides when each item finishes. A waiting activity heartbeats, so it learns at once when
 * its workflow is cancelled (and then rejects, as a real LLM call would be abandoned).
 */
export class Gates<K> {
  private readonly gates = new Map<K, { promise: Promise<void>; resolve: () => void }>();
  private allOpen = false;

  private gate(key: K) {
    let g = this.gates.get(key);
    if (!g) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      g = { promise, resolve };
      this.gates.set(key, g);
    }
    return g;
  }

  /** Called inside an activity: returns once the key's gate opens; throws if cancelled first. */
  async pass(key: K): Promise<void> {
    if (this.allOpen) return;
    const ctx = Context.current();
    const beat = setInterval(() => ctx.heartbeat(), 50);
    try {
      await Promise.race([this.gate(key).promise, ctx.cancelled]);
    } finally {
      clearInterval(beat);
    }
  }

  release(key: K): void {
    this.gate(key).resolve();
  }

  /** Lets every waiting and future activity through: tests call it on the way out. */
  releaseAll(): void {
    this.allOpen = true;
    for (const g of this.gates.values()) g.resolve();
  }
}

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The run IDs of a workflow chain, first to last, following continue-as-new in the histories. */
export async function runChain(
  client: Client,
  workflowId: string,
  firstRunId: string,
): Promise<{ runId: string; events: HistoryEvent[] }[]> {
  const runs: { runId: string; events: HistoryEvent[] }[] = [];
  let runId: string | null | undefined = firstRunId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    const events: HistoryEvent[] = history.events ?? [];
    runs.push({ runId, events });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return runs;
}

/** The runBatchItem activity's type name (`activity` mode items). */
export const ITEM_ACTIVITY = 'runBatchItem';

/**
 * The most items a run had open at once, from its own history: a child start or an item
 * activity counts from the moment the workflow asked for it until it closed (or failed to start).
 */
export function maxOpenChildren(events: HistoryEvent[]): number {
  const items = new Set<string>(); // scheduled event IDs of item activities
  let open = 0;
  let max = 0;
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    const closed =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    if (e.startChildWorkflowExecutionInitiatedEventAttributes) max = Math.max(max, ++open);
    else if (scheduled?.activityType?.name === ITEM_ACTIVITY) {
      items.add(String(e.eventId));
      max = Math.max(max, ++open);
    } else if (closed && items.has(String(closed.scheduledEventId))) open--;
    else if (
      e.childWorkflowExecutionCompletedEventAttributes ||
      e.childWorkflowExecutionFailedEventAttributes ||
      e.childWorkflowExecutionCanceledEventAttributes ||
      e.childWorkflowExecutionTerminatedEventAttributes ||
      e.childWorkflowExecutionTimedOutEventAttributes ||
      e.startChildWorkflowExecutionFailedEventAttributes
    )
      open--;
  }
  return max;
}
