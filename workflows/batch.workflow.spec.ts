import { Context } from '@temporalio/activity';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, defaultPayloadConverter } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { Activities } from '../activities';
import {
  BATCH_ITEM_MODES,
  itemWorkflowId,
  type BatchItemMode,
  type BatchSpec,
} from '../common/batch-items';
import type { BatchCarry, BatchReport, OpenBatchInput } from '../common/batch-types';
import type { Framework } from '../common/frameworks';
import { addUsd, compareUsd, usd, ZERO_USD, type Usd } from '../common/money';
import type { GenerateStoryInput, GenerationResult } from '../common/workflow-types';
import { waitFor } from '../test/support/wait';
import {
  Gates,
  maxOpenChildren,
  runChain,
  FAST_WAIT,
  ITEM_ACTIVITY,
  startFastWorkflowEnv,
  stubRunSettings,
  type FastWorkflowEnv,
  type HistoryEvent,
} from '../test/support/workflow-test-env';
import {
  batchFailedItemsQuery,
  batchProgressQuery,
  pauseBatchUpdate,
  resumeBatchUpdate,
  retryFailedUpdate,
  setConcurrencyUpdate,
  type BatchWorkflowInput,
} from './batch.definitions';
import { batchWorkflow } from './batch.workflow';
import { storyWorkflow } from './story.workflow';

/**
 * batchWorkflow's logic on a real Temporal server, in seconds: the real batch and story workflow
 * code, with every activity replaced by a stub below. Each item's story "generates" through a
 * stub the test controls by item index (cost, failure, or a gate the test opens): the story
 * workflow's generation activity in `workflow` mode, the item activity in `activity` mode. Every
 * test runs in both modes.
 */

type StubbedActivities = Pick<
  Activities,
  | 'generateSemanticKernel'
  | 'generateLangChain'
  | 'generateLangGraph'
  | 'persistStory'
  | 'markLostAttempts'
  | 'openBatch'
  | 'checkpointBatch'
  | 'finishBatch'
  | 'findItemStory'
  | 'estimateBatchItemCosts'
  | 'runBatchItem'
>;

/** What item n's generation does on its `attempt`th run: cost this much, or fail after billing some. */
type ItemOutcome = { costUsd: Usd } | { failWith: string; billedUsd: Usd };
type Behaviour = (
  n: number,
  attempt: number,
  gates: Gates<number>,
) => Promise<ItemOutcome> | ItemOutcome;

const COST: Usd = '0.004000';
const WORST_CASE: Usd = '0.010000';
const succeed: Behaviour = () => ({ costUsd: COST });
/** Every item waits until the test opens its gate. */
const gated: Behaviour = async (n, _attempt, gates) => {
  await gates.pass(n);
  return { costUsd: COST };
};

/** The stubs and everything they saw. `billed` plays the audit trail: every paid attempt. */
interface StubOptions {
  onStart?: (rec: Recorder) => void;
  /** Replaces the estimate's stub (which answers WORST_CASE per item). */
  estimate?: StubbedActivities['estimateBatchItemCosts'];
}

function fakeActivities(behave: Behaviour, gates: Gates<number>, opts: StubOptions = {}) {
  const rec = {
    starts: [] as number[],
    attempts: new Map<number, number>(),
    active: new Set<number>(),
    billed: ZERO_USD,
    opened: [] as OpenBatchInput[],
    finished: [] as BatchReport[],
    estimates: 0,
    lookedUp: [] as string[],
    storiesPersisted: 0,
  };
  /** Item n's generation as the behaviour says: its cost, or a failure after billing. */
  const run = async (n: number): Promise<Usd> => {
    const attempt = (rec.attempts.get(n) ?? 0) + 1;
    rec.attempts.set(n, attempt);
    rec.starts.push(n);
    rec.active.add(n);
    opts.onStart?.(rec);
    try {
      const out = await behave(n, attempt, gates);
      if ('failWith' in out) {
        rec.billed = addUsd(rec.billed, out.billedUsd);
        throw ApplicationFailure.nonRetryable(out.failWith, 'StubFailure');
      }
      rec.billed = addUsd(rec.billed, out.costUsd);
      return out.costUsd;
    } finally {
      rec.active.delete(n);
    }
  };
  const generate = async (input: GenerateStoryInput): Promise<GenerationResult> =>
    generation(
      input.framework,
      await run(itemIndex(Context.current().info.workflowExecution?.workflowId ?? '(none)')),
    );
  const activities: StubbedActivities = {
    generateSemanticKernel: generate,
    generateLangChain: generate,
    generateLangGraph: generate,
    persistStory: async () => ({
      storyId: ++rec.storiesPersisted,
      createdAt: new Date().toISOString(),
    }),
    markLostAttempts: async () => 0,
    openBatch: async (input) => void rec.opened.push(input),
    checkpointBatch: async () => ({ auditedCostUsd: rec.billed }),
    finishBatch: async (report) => void rec.finished.push(report),
    findItemStory: async ({ workflowId }) => {
      rec.lookedUp.push(workflowId);
      return { found: true, costUsd: COST, totalTokens: 30 };
    },
    runBatchItem: async (input) => ({
      costUsd: await run(input.index),
      storyId: ++rec.storiesPersisted,
      totalTokens: 30,
      llmCalls: 1,
      generated: true,
    }),
    estimateBatchItemCosts: async (input) => {
      rec.estimates++;
      if (opts.estimate) return opts.estimate(input);
      return {
        worstCaseUsd: { semantic_kernel: WORST_CASE },
        priced: true,
        model: 'stub-1',
        maxTokens: 100,
      };
    },
  };
  return { activities, rec };
}
type Recorder = ReturnType<typeof fakeActivities>['rec'];

function itemIndex(workflowId: string): number {
  const m = /\/item-(\d+)$/.exec(workflowId);
  if (!m) throw new Error(`not a batch item: ${workflowId}`);
  return Number(m[1]);
}

const sorted = (ns: number[]) => [...ns].sort((a, b) => a - b);

/** Items whose child or item activity the history shows being started, in order. */
const childStarts = (events: HistoryEvent[]) =>
  events.flatMap((e) => {
    const id = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
    if (id) return [itemIndex(id)];
    const a = e.activityTaskScheduledEventAttributes;
    return a?.activityType?.name === ITEM_ACTIVITY
      ? [Number(/^item-(\d+)/.exec(a.activityId ?? '')?.[1])]
      : [];
  });

function generation(framework: Framework, costUsd: Usd): GenerationResult {
  return {
    text: 'Once upon a stub.',
    framework,
    provider: 'stub',
    model: 'stub-1',
    inputTokens: 10,
    outputTokens: 20,
    totalTokens: 30,
    costUsd,
    inputCostPer1k: ZERO_USD,
    outputCostPer1k: ZERO_USD,
    generationTimeMs: 1,
    llmCalls: 1,
    steps: [],
  };
}

/** `items` items: one pair per item with one framework, or pairs x frameworks. */
function baseSpec(items: number, extra: Partial<BatchSpec> = {}): BatchSpec {
  const frameworks = extra.frameworks ?? ['semantic_kernel'];
  const pairs = Array.from({ length: items / frameworks.length }, (_, i) => ({
    primaryCharacter: `Hero ${i}`,
    secondaryCharacter: `Foe ${i}`,
  }));
  return { source: { kind: 'pairs', pairs }, concurrency: 2, ...extra, frameworks };
}

let env: FastWorkflowEnv;
beforeAll(async () => {
  env = await startFastWorkflowEnv();
});
afterAll(async () => {
  await env?.teardown();
});

/** Starts a batch on the test's task queue; `workflowId` lets a test prepare an item first. */
function startBatch(taskQueue: string, s: BatchSpec, workflowId = `batch-${randomUUID()}`) {
  const input: BatchWorkflowInput = {
    spec: s,
    settings: stubRunSettings,
    llm: { provider: 'stub', model: 'stub-1' },
    correlationId: randomUUID(),
    origin: 'api',
  };
  return env.client.workflow.start(batchWorkflow, {
    taskQueue,
    workflowId,
    args: [input],
  });
}

const progressOf = (h: WorkflowHandle<typeof batchWorkflow>) => h.query(batchProgressQuery);
const activeCount = (rec: Recorder, n: number) =>
  waitFor(
    `${n} items generating`,
    async () => rec.active.size,
    (s) => s === n,
    FAST_WAIT,
  );

/**
 * Runs `body` with a worker whose stubs behave as told; every gate opens on the way out, so a
 * failed assertion never leaves a stub waiting (the worker could not stop).
 */
async function withBatchWorker(
  behave: Behaviour,
  body: (t: { tq: string; rec: Recorder; gates: Gates<number> }) => Promise<void>,
  opts: StubOptions = {},
): Promise<void> {
  const gates = new Gates<number>();
  const { activities, rec } = fakeActivities(behave, gates, opts);
  await env.withWorker(activities, async (tq) => {
    try {
      await body({ tq, rec, gates });
    } finally {
      gates.releaseAll();
    }
  });
}

describe.each(BATCH_ITEM_MODES)(
  'batchWorkflow on a real server (stubbed activities), %s items',
  (mode: BatchItemMode) => {
    const spec = (items: number, extra: Partial<BatchSpec> = {}) =>
      baseSpec(items, { itemMode: mode, ...extra });
    /** Registered in the one mode it is about (no skipped tests in the other). */
    const inMode = (m: BatchItemMode) => (m === mode ? it : () => undefined);

    it('never has more than `concurrency` children open, and follows setConcurrency', async () => {
      const frameworks: Framework[] = ['semantic_kernel', 'langchain', 'langgraph'];
      await withBatchWorker(gated, async ({ tq, rec, gates }) => {
        const h = await startBatch(tq, spec(9, { concurrency: 2, frameworks }));
        await activeCount(rec, 2);
        expect((await progressOf(h)).running).toBe(2);
        // Finish the oldest running item three times: each time the window refills to exactly 2.
        for (let done = 0; done < 3; done++) {
          gates.release(Math.min(...rec.active));
          await waitFor(
            'the window refilled',
            async () => rec.starts.length,
            (s) => s === done + 3,
            FAST_WAIT,
          );
          await activeCount(rec, 2);
        }
        const widened = await h.executeUpdate(setConcurrencyUpdate, { args: [4] });
        expect(widened.concurrency).toBe(4);
        await activeCount(rec, 4);
        gates.releaseAll();
        const report = await h.result();
        expect(report).toMatchObject({
          state: 'completed',
          completed: 9,
          failed: 0,
          concurrency: 4,
        });

        // The batch's own history: items started in order, once each; at most 2 children open
        // before the update, 4 after.
        const [run] = await runChain(env.client, h.workflowId, h.firstExecutionRunId);
        expect(childStarts(run.events)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
        expect(sorted(rec.starts)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
        const update = run.events.findIndex(
          (e) => e.workflowExecutionUpdateAcceptedEventAttributes,
        );
        expect(update).toBeGreaterThan(0);
        expect(maxOpenChildren(run.events.slice(0, update))).toBe(2);
        expect(maxOpenChildren(run.events)).toBe(4);
      });
    });

    it('budget: starts an item only when its worst case fits, stops with reason budget, never spends past it', async () => {
      const budget = '0.035000';
      const violations: string[] = [];
      // At every start: paid so far + the worst case of everything now generating must fit.
      const onStart = (rec: Recorder) => {
        const committed = addUsd(rec.billed, usd(Number(WORST_CASE) * rec.active.size));
        if (compareUsd(committed, budget) > 0)
          violations.push(`${rec.starts.at(-1)}: ${committed} > ${budget}`);
      };
      // Item 2 fails after a paid attempt: it counts at its worst case until the audit trail settles it.
      const behave: Behaviour = (n) =>
        n === 2 ? { failWith: 'provider said no', billedUsd: '0.002000' } : { costUsd: COST };
      await withBatchWorker(
        behave,
        async ({ tq, rec }) => {
          const h = await startBatch(tq, spec(12, { concurrency: 10, budgetUsd: budget }));
          const report = await h.result();
          expect(violations).toEqual([]);
          expect(report).toMatchObject({
            state: 'stopped',
            stopReason: 'budget',
            failed: 1,
            total: 12,
          });
          expect(report.costUsd).toBe(rec.billed);
          expect(compareUsd(report.costUsd, budget)).toBeLessThanOrEqual(0);
          // It stopped because the next worst case no longer fitted, not earlier.
          expect(compareUsd(addUsd(report.costUsd, WORST_CASE), budget)).toBeGreaterThan(0);
          expect(report.notStarted).toBe(12 - rec.starts.length);
          expect(report.notStarted).toBeGreaterThan(0);
          expect(report.completed + report.failed + report.notStarted).toBe(12);
          // The window (10) was never the limit: reservations held it at 3 (3 x 0.01 <= 0.035).
          const [run] = await runChain(env.client, h.workflowId, h.firstExecutionRunId);
          expect(maxOpenChildren(run.events)).toBe(3);
          expect(rec.estimates).toBe(1);
          expect(rec.finished).toEqual([report]);
        },
        { onStart },
      );
    });

    it('a spec the estimate can never use fails the batch at once: report `failed` with the reason, nothing started', async () => {
      const why = 'batch b: its stored spec cannot be estimated: unknown framework "haiku"';
      const estimate = async () => {
        throw ApplicationFailure.nonRetryable(why, 'BatchSpecUnusable');
      };
      await withBatchWorker(
        succeed,
        async ({ tq, rec }) => {
          const h = await startBatch(tq, spec(4, { budgetUsd: '1.000000' }));
          const err: unknown = await h.result().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(WorkflowFailedError);
          expect(err instanceof WorkflowFailedError && err.cause?.message).toBe(
            `the batch cannot run: BatchSpecUnusable: ${why}`,
          );
          expect(rec.estimates).toBe(1);
          expect(rec.starts).toEqual([]);
          expect(rec.finished).toHaveLength(1);
          expect(rec.finished[0]).toMatchObject({
            state: 'failed',
            failure: `BatchSpecUnusable: ${why}`,
            completed: 0,
            notStarted: 4,
          });
        },
        { estimate },
      );
    });

    it('pause stops new starts (running items finish); resume goes on', async () => {
      await withBatchWorker(gated, async ({ tq, rec, gates }) => {
        const h = await startBatch(tq, spec(4, { concurrency: 1 }));
        await activeCount(rec, 1);
        expect((await h.executeUpdate(pauseBatchUpdate)).state).toBe('paused');
        gates.release(0);
        // The completion and the (absent) next start are decided in one workflow task.
        const paused = await waitFor(
          'item 0 counted',
          () => progressOf(h),
          (p) => p.completed === 1,
          FAST_WAIT,
        );
        expect(paused).toMatchObject({ state: 'paused', running: 0, pending: 3 });
        expect(rec.starts).toEqual([0]);
        await expect(h.executeUpdate(setConcurrencyUpdate, { args: [0] })).rejects.toMatchObject({
          cause: { type: 'InvalidConcurrency' },
        });

        expect((await h.executeUpdate(resumeBatchUpdate)).state).toBe('running');
        gates.releaseAll();
        expect(await h.result()).toMatchObject({ state: 'completed', completed: 4 });
        expect(sorted(rec.starts)).toEqual([0, 1, 2, 3]);
      });
    });

    it('cancel: running children are cancelled, nothing more starts, the report is written', async () => {
      // No gate is opened: the items are mid-generation when the batch is cancelled.
      await withBatchWorker(gated, async ({ tq, rec }) => {
        const h = await startBatch(tq, spec(6, { concurrency: 2 }));
        await activeCount(rec, 2);
        await h.cancel();
        const err: unknown = await h.result().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WorkflowFailedError);
        expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
        expect(rec.finished).toHaveLength(1);
        expect(rec.finished[0]).toMatchObject({
          state: 'cancelled',
          stopReason: 'cancelled',
          cancelled: 2,
          completed: 0,
          notStarted: 4,
        });
        if (mode === 'workflow') {
          for (const n of [0, 1]) {
            const child = await env.client.workflow
              .getHandle(itemWorkflowId(h.workflowId, n))
              .describe();
            expect(child.status.name).toBe('CANCELLED');
          }
        } else {
          const [run] = await runChain(env.client, h.workflowId, h.firstExecutionRunId);
          expect(
            run.events.filter((e) => e.activityTaskCancelRequestedEventAttributes),
          ).toHaveLength(2);
        }
        // The generations themselves were told to stop (their heartbeats carried the cancel).
        await activeCount(rec, 0);
        expect(sorted(rec.starts)).toEqual([0, 1]);
      });
    });

    it('continue-as-new carries counters and reservations, and starts no item twice', async () => {
      const behave: Behaviour = (n) =>
        n === 1 ? { failWith: 'provider said no', billedUsd: '0.002000' } : { costUsd: COST };
      await withBatchWorker(behave, async ({ tq, rec }) => {
        const h = await startBatch(
          tq,
          spec(8, { concurrency: 2, continueAsNewAfter: 3, budgetUsd: '1.000000' }),
        );
        const report = await h.result();
        expect(report).toMatchObject({
          state: 'completed',
          completed: 7,
          failed: 1,
          runs: 3,
          costUsd: rec.billed,
        });
        expect(report.failedItems.map((f) => f.index)).toEqual([1]);

        const runs = await runChain(env.client, h.workflowId, h.firstExecutionRunId);
        expect(runs).toHaveLength(3);
        // Every item was started by exactly one run, each run within its window.
        expect(sorted(runs.flatMap((r) => childStarts(r.events)))).toEqual([
          0, 1, 2, 3, 4, 5, 6, 7,
        ]);
        expect(runs.map((r) => maxOpenChildren(r.events))).toEqual([2, 2, 2]);
        expect([...rec.attempts.values()].every((a) => a === 1)).toBe(true);

        // The first handover: items 0-2 done (1 failed), its spend settled from the audit trail.
        const handover = runs[0].events.at(-1)!.workflowExecutionContinuedAsNewEventAttributes!;
        const next = defaultPayloadConverter.fromPayload<BatchWorkflowInput>(
          handover.input!.payloads![0],
        );
        expect(next.resume).toMatchObject<Partial<BatchCarry>>({
          cursor: 3,
          completed: 2,
          failed: [{ index: 1, error: expect.stringContaining('provider said no') as string }],
          costUsd: '0.008000',
          settledUsd: '0.010000',
          itemWorstCaseUsd: { semantic_kernel: WORST_CASE },
          runs: 1,
        });
        // Carried, not recomputed or reopened by the later runs.
        expect(rec.estimates).toBe(1);
        expect(rec.opened).toHaveLength(1);
      });
    });

    it('retry-failed queues failed items again; they rerun under their own IDs', async () => {
      const behave: Behaviour = async (n, attempt, gates) => {
        if ((n === 1 || n === 3) && attempt === 1)
          return { failWith: 'flaky provider', billedUsd: ZERO_USD };
        if (n === 5) await gates.pass(n); // keeps the batch open until the retry was queued
        return { costUsd: COST };
      };
      await withBatchWorker(behave, async ({ tq, rec, gates }) => {
        const h = await startBatch(tq, spec(6, { concurrency: 3 }));
        const failed = await waitFor(
          'items 1 and 3 failed',
          () => h.query(batchFailedItemsQuery),
          (f) => f.length === 2,
          FAST_WAIT,
        );
        expect(failed.map((f) => f.workflowId)).toEqual([
          itemWorkflowId(h.workflowId, 1),
          itemWorkflowId(h.workflowId, 3),
        ]);
        const retried = await h.executeUpdate(retryFailedUpdate);
        expect(retried.queued).toBe(2);
        expect(retried.progress.failed).toBe(0);
        gates.releaseAll();
        const report = await h.result();
        expect(report).toMatchObject({
          state: 'completed',
          completed: 6,
          failed: 0,
          failedItems: [],
        });
        expect(Object.fromEntries(rec.attempts)).toEqual({ 0: 1, 1: 2, 2: 1, 3: 2, 4: 1, 5: 1 });
      });
    });

    inMode('workflow')(
      'an item whose ID already completed is counted from its story, not generated again',
      async () => {
        await withBatchWorker(succeed, async ({ tq, rec }) => {
          const batchId = `batch-${randomUUID()}`;
          // Item 0 ran to completion before this batch existed (e.g. started by a lost earlier run).
          const first = itemWorkflowId(batchId, 0);
          await env.client.workflow.execute(storyWorkflow, {
            taskQueue: tq,
            workflowId: first,
            args: [
              {
                framework: 'semantic_kernel',
                primaryCharacter: 'Hero 0',
                secondaryCharacter: 'Foe 0',
                correlationId: 'c',
                origin: 'batch',
                settings: stubRunSettings,
              },
            ],
          });
          const h = await startBatch(tq, spec(3, { concurrency: 3 }), batchId);
          expect(await h.result()).toMatchObject({ state: 'completed', completed: 3, failed: 0 });
          expect(rec.lookedUp).toEqual([first]);
          expect(Object.fromEntries(rec.attempts)).toEqual({ 0: 1, 1: 1, 2: 1 });
        });
      },
    );
  },
);
