/**
 * P0 per-story counts (issue 18): what one batch story costs in things that do not move with
 * the machine's load. A batch of N Semantic Kernel stories goes through the API as in P1, but
 * the worker runs inside this process with a Prisma client that counts every SQL statement it
 * sends (prisma/statement-counter.ts). Afterwards every history of the batch (all its runs, and
 * every item's child run) is read and counted by event type. Per story: history events,
 * workflow tasks (one activation each, at least), search-attribute upserts, activity tasks,
 * local activities, child workflows, and the worker's SQL statements by verb.
 */
import * as path from 'node:path';
import { Worker } from '@temporalio/worker';
import { BATCH_ITEM_MODES, type BatchItemMode } from '../common/batch-items';
import { createPrismaClient } from '../prisma/client';
import { StatementCounter } from '../prisma/statement-counter';
import { connectWorkerNative } from '../temporal/connection';
import { createQuillflowWorker } from '../workers/worker';
import type { batchWorkflow } from '../workflows/batch.workflow';
import { httpJson, log, type Stack } from './harness';
import type { BenchOptions } from './options';
import type { BenchResult, Figure } from './report';
import { round } from './stats';

// temporal.api.enums.v1.EventType values (the proto package is not a direct dependency).
const EVENT = {
  workflowTasks: 7, // WORKFLOW_TASK_COMPLETED
  activityTasks: 10, // ACTIVITY_TASK_SCHEDULED
  timers: 17, // TIMER_STARTED
  localActivities: 25, // MARKER_RECORDED (local activities and patches)
  childStarts: 29, // START_CHILD_WORKFLOW_EXECUTION_INITIATED
  upserts: 40, // UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
} as const;
const CONTINUED_AS_NEW = 28;

export interface StoryCounts {
  items: number;
  /** Per story, over the batch's runs and every item's own run. */
  events: number;
  batchEvents: number;
  itemEvents: number;
  workflowTasks: number;
  upserts: number;
  activityTasks: number;
  localActivities: number;
  childStarts: number;
  timers: number;
  sqlStatements: number;
  sqlByVerb: Record<string, number>;
  batchRuns: number;
}

type History = Awaited<
  ReturnType<ReturnType<Stack['temporal']['client']['workflow']['getHandle']>['fetchHistory']>
>;

export async function runP0(stack: Stack, opts: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const byMode = {} as Record<BatchItemMode, StoryCounts>;
  for (const mode of BATCH_ITEM_MODES)
    byMode[mode] = await countBatch(stack, opts.countsN, opts, { itemMode: mode });
  const per = (v: number) => round(v, 2);
  const figures: Figure[] = BATCH_ITEM_MODES.flatMap((mode): Figure[] => {
    const c = byMode[mode];
    return [
      {
        metric: `${mode} items: history events per story (N=${c.items})`,
        value: `${per(c.events)} (batch runs ${per(c.batchEvents)}, item runs ${per(c.itemEvents)})`,
      },
      {
        metric: `${mode} items: workflow tasks / upserts / activity tasks / local activities / child runs per story`,
        value: [c.workflowTasks, c.upserts, c.activityTasks, c.localActivities, c.childStarts]
          .map(per)
          .join(' / '),
      },
      {
        metric: `${mode} items: SQL statements per story (worker)`,
        value: `${per(c.sqlStatements)} (${Object.entries(c.sqlByVerb)
          .map(([k, v]) => `${k} ${per(v)}`)
          .join(', ')})`,
      },
    ];
  });
  return {
    id: 'P0',
    title: 'per-story counts',
    status: 'ok',
    figures,
    notes: [
      `One batch of ${opts.countsN} Semantic Kernel stories per item mode through POST /api/batches (window ${opts.concurrency}, L=${opts.latencyMs} ms) on a worker ` +
        'inside the bench process whose Prisma client counts the statements it sends (BEGIN/COMMIT of transactions included). ' +
        "Events: every run of the batch and every item's own run, read from their histories. " +
        "Workflow tasks = WorkflowTaskCompleted events (each is at least one activation of the worker); local activities = MarkerRecorded (patch markers too). The API's own statements (one INSERT per batch) are not counted.",
    ],
    details: { ...byMode },
    durationSeconds: round((performance.now() - started) / 1000),
  };
}

/** Runs one batch of `n` stories on an in-process, statement-counting worker and counts. */
export async function countBatch(
  stack: Stack,
  n: number,
  opts: BenchOptions,
  extraBody: Record<string, unknown> = {},
): Promise<StoryCounts> {
  await stack.stopWorker(); // this worker alone serves the stack's task queue
  const counter = new StatementCounter();
  const prisma = createPrismaClient(stack.db.url, { onStatement: counter.listener });
  const deps = { ...stack.activityDeps(), prisma };
  const connection = await connectWorkerNative({ address: stack.env().TEMPORAL_ADDRESS });
  await stack.startApi();
  let worker: Worker | undefined;
  try {
    const config = stack.config();
    worker = await createQuillflowWorker({
      connection,
      namespace: stack.namespace,
      taskQueue: stack.taskQueue,
      workflowBundlePath: path.join(__dirname, '..', 'workflow-bundle.js'),
      deps,
      tuning: {
        maxConcurrentActivityTaskExecutions: config.env.WORKER_MAX_CONCURRENT_ACTIVITIES,
        maxConcurrentWorkflowTaskExecutions: config.env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
        maxCachedWorkflows: config.env.WORKER_MAX_CACHED_WORKFLOWS,
      },
    });
    stack.sim.reset();
    stack.sim.setLatency(opts.latencyMs, 0);
    const body = {
      generate: {
        count: n,
        primaryNames: ['Alice', 'Bob', 'Carol', 'Dave', 'Erin'],
        secondaryNames: ['Mallory', 'Niaj', 'Olivia', 'Peggy'],
      },
      frameworks: ['semantic-kernel'],
      concurrency: opts.concurrency,
      label: 'P0',
      ...extraBody,
    };
    const w = worker;
    const result = await w.runUntil(async () => {
      const res = await httpJson(stack.apiUrl, 'POST', '/api/batches', body);
      if (res.status !== 202)
        throw new Error(
          `POST /api/batches answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`,
        );
      const { batchId, runId } = res.body as { batchId: string; runId: string };
      counter.reset(); // from the first workflow task on
      log(`P0: batch ${batchId}, ${n} stories`);
      await stack.temporal.client.workflow.getHandle<typeof batchWorkflow>(batchId).result();
      return { batchId, runId, sql: counter.snapshot() };
    });
    return await countHistories(stack, result.batchId, result.runId, n, result.sql);
  } finally {
    await prisma.$disconnect();
    await connection.close();
  }
}

async function countHistories(
  stack: Stack,
  batchId: string,
  firstRunId: string,
  n: number,
  sql: { total: number; byVerb: Record<string, number> },
): Promise<StoryCounts> {
  const client = stack.temporal.client;
  const byType = new Map<number, number>();
  const add = (h: History) => {
    for (const e of h.events ?? [])
      byType.set(e.eventType as number, (byType.get(e.eventType as number) ?? 0) + 1);
    return (h.events ?? []).length;
  };
  let batchEvents = 0;
  let batchRuns = 0;
  // The runs of the batch, following continue-as-new from the first.
  for (let runId: string | undefined = firstRunId; runId;) {
    const h = await client.workflow.getHandle(batchId, runId).fetchHistory();
    batchEvents += add(h);
    batchRuns++;
    const last = h.events?.at(-1);
    runId =
      (last?.eventType as number) === CONTINUED_AS_NEW
        ? (last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined)
        : undefined;
  }
  let itemEvents = 0;
  for (let i = 0; i < n; i++) {
    try {
      itemEvents += add(await client.workflow.getHandle(`${batchId}/item-${i}`).fetchHistory());
    } catch {
      /* no run of its own: the item ran inside the batch workflow */
    }
  }
  const per = (v: number) => v / n;
  const ev = (k: keyof typeof EVENT) => per(byType.get(EVENT[k]) ?? 0);
  return {
    items: n,
    events: per(batchEvents + itemEvents),
    batchEvents: per(batchEvents),
    itemEvents: per(itemEvents),
    workflowTasks: ev('workflowTasks'),
    upserts: ev('upserts'),
    activityTasks: ev('activityTasks'),
    localActivities: ev('localActivities'),
    childStarts: ev('childStarts'),
    timers: ev('timers'),
    sqlStatements: per(sql.total),
    sqlByVerb: Object.fromEntries(Object.entries(sql.byVerb).map(([k, v]) => [k, per(v)])),
    batchRuns,
  };
}
