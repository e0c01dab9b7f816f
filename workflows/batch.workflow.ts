import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import {
  type BatchItemMode,
  defaultContinueAsNewAfter,
  itemWorkflowId,
  MAX_BATCH_CONCURRENCY,
  MIN_BATCH_CONCURRENCY,
} from '../common/batch-items';
import type { BatchProgress, BatchReport, BatchState } from '../common/batch-types';
import { ZERO_USD } from '../common/money';
import { SEARCH_ATTRIBUTE_KEYS as SA } from '../temporal/search-attributes';
import { persistOptions } from './activity-options';
import {
  batchFailedItemsQuery,
  batchProgressQuery,
  pauseBatchUpdate,
  resumeBatchUpdate,
  retryFailedUpdate,
  setConcurrencyUpdate,
  type BatchWorkflowInput,
} from './batch.definitions';
import { describeFailure, itemChild } from './batch-child';
import { itemActivity } from './batch-item';
import { BatchLedger } from './batch-ledger';
import { storyWorkflow } from './story.workflow';

/** While counters move they reach the database at most this often (and once more at the end of a run). */
const CHECKPOINT_EVERY_MS = 3_000;

/**
 * A batch of stories in a sliding window, with a budget cap, pause/resume, a progress query and
 * a final report. Each item is either one runBatchItem activity of this workflow (`activity`
 * mode, the default for new batches) or a child storyWorkflow `<batchId>/item-<n>` (`workflow`
 * mode, every batch from before the modes); common/batch-items.ts, BatchItemMode.
 *
 * Continue-as-new: after `continueAsNewAfter` starts (or when Temporal suggests it) the run stops
 * starting items, lets the running children finish, and continues with the ledger (cursor,
 * counters, failed items). A run never hands over a running child, so none is lost, and item IDs
 * are deterministic with ALLOW_DUPLICATE_FAILED_ONLY, so none runs twice: a completed item can
 * never be started again and a start that finds one counts it instead.
 *
 * Cancellation (Temporal cancel): no new starts, running children are cancelled with the batch
 * (their spending stops at once), the report is written with state `cancelled`, and the run
 * ends as CANCELED.
 */
export async function batchWorkflow(input: BatchWorkflowInput): Promise<BatchReport> {
  const batchId = workflowInfo().workflowId;
  const L = new BatchLedger(batchId, input.spec, Date.now(), input.resume);
  const db = proxyActivities<Activities>(persistOptions);
  // From the input alone, so a replay takes the same path: runs from before the modes have none.
  const itemMode: BatchItemMode = input.resume?.itemMode ?? input.spec.itemMode ?? 'workflow';
  // Budget reservations: an item starts only when its worst case fits in what is left. Patched:
  // batches started before them replay (and finish) with the old check after spending.
  const reserving = input.spec.budgetUsd !== undefined && patched('budget-reservations');
  // Activity mode is new with this rule, so no running batch replays it differently; the
  // child-run rule is unchanged.
  const continueAfter =
    input.spec.continueAsNewAfter ?? defaultContinueAsNewAfter(itemMode, L.concurrency);

  let wake = 0; // bumped by every change the driver loop must look at
  let dirty = true; // counters changed since the last checkpoint
  let rollover = false; // this run is handing over to a new one
  let ending = false; // the driver finished: no more changes accepted
  let finalState: BatchState | undefined;
  let startedThisRun = 0;
  const inflight = new Set<Promise<void>>();

  const state = (): BatchState =>
    finalState ??
    (rollover || (L.stopReason && L.running.size > 0)
      ? 'finishing'
      : L.paused
        ? 'paused'
        : 'running');
  const progress = (): BatchProgress => L.progress(state(), Date.now());
  const changed = () => {
    wake++;
    dirty = true;
    publishDetails();
  };

  const publishDetails = () => {
    const p = progress();
    setCurrentDetails(
      `${p.state}: ${p.completed}/${p.total} done, ${p.failed} failed, ${p.running} running, ${p.pending} pending · ` +
        `$${p.costUsd}${p.budgetUsd ? ` of $${p.budgetUsd}` : ''}${reserving ? ` ($${p.reservedUsd} reserved)` : ''} · ` +
        `${p.totalTokens} tokens · window ${p.provider?.throttled ? `${p.provider.window} of ` : ''}${p.concurrency}` +
        (p.provider ? ` · ${p.provider.callsPerMinute} calls/min` : '') +
        (p.provider?.throttled
          ? ` · throttled by the provider (${p.provider.rateLimitedCalls} rate-limited lately)`
          : '') +
        (p.etaSeconds !== null ? ` · ETA ${p.etaSeconds}s` : '') +
        (p.stopReason ? ` · stopped: ${p.stopReason}` : ''),
    );
  };
  let lastAttributes = '';
  const publishAttributes = () => {
    const p = progress();
    const key = `${p.state}|${p.costUsd}|${p.totalTokens}`;
    if (key === lastAttributes) return; // each upsert is a history event: only on change
    lastAttributes = key;
    upsertSearchAttributes([
      { key: SA.GenerationState, value: p.state },
      { key: SA.CostUsd, value: Number(p.costUsd) },
      { key: SA.TotalTokens, value: p.totalTokens },
    ]);
  };

  const refuseWhenEnding = () => {
    if (ending || finalState)
      throw ApplicationFailure.nonRetryable('the batch is finishing', 'BatchClosing');
  };
  setHandler(batchProgressQuery, progress);
  setHandler(batchFailedItemsQuery, () => L.failedItemDetails());
  setHandler(
    pauseBatchUpdate,
    () => {
      L.paused = true;
      changed();
      publishAttributes();
      return progress();
    },
    { validator: refuseWhenEnding },
  );
  setHandler(
    resumeBatchUpdate,
    () => {
      L.paused = false;
      changed();
      publishAttributes();
      return progress();
    },
    { validator: refuseWhenEnding },
  );
  setHandler(
    setConcurrencyUpdate,
    (n: number) => {
      L.concurrency = n;
      changed();
      return progress();
    },
    {
      validator: (n: number) => {
        refuseWhenEnding();
        if (!Number.isInteger(n) || n < MIN_BATCH_CONCURRENCY || n > MAX_BATCH_CONCURRENCY) {
          throw ApplicationFailure.nonRetryable(
            `concurrency must be a whole number from ${MIN_BATCH_CONCURRENCY} to ${MAX_BATCH_CONCURRENCY}`,
            'InvalidConcurrency',
          );
        }
      },
    },
  );
  setHandler(
    retryFailedUpdate,
    () => {
      const queued = L.queueRetries();
      changed();
      return { queued, progress: progress() };
    },
    {
      validator: () => {
        refuseWhenEnding();
        if (L.stopReason)
          throw ApplicationFailure.nonRetryable(
            `the batch was stopped (${L.stopReason})`,
            'BatchStopped',
          );
      },
    },
  );

  if (!input.resume || input.resume.reopen) {
    // Not cancellable: every later write (checkpoint, report) updates this row.
    await CancellationScope.nonCancellable(() =>
      db.openBatch({
        batchId,
        spec: input.spec,
        totalItems: L.total,
        origin: input.origin,
        correlationId: input.correlationId,
        reopen: Boolean(input.resume?.reopen),
      }),
    );
  }
  // Scheduled runs get their ID from the schedule: the batch tags itself.
  if (workflowInfo().typedSearchAttributes.get(SA.BatchId) !== batchId) {
    upsertSearchAttributes([{ key: SA.BatchId, value: batchId }]);
  }
  publishAttributes();
  publishDetails();

  let moves = 0; // items started or finished: a sum read while it stays put saw a still batch
  const checkpoint = async () => {
    dirty = false;
    const still = L.running.size === 0 ? moves : -1;
    const r = await db.checkpointBatch({ batchId, progress: progress() });
    L.auditedCostUsd = r.auditedCostUsd;
    L.repeatedCostUsd = r.repeatedCostUsd ?? ZERO_USD;
    // Results from before provider answers were read have none: those runs keep their window.
    if (r.provider) L.onProviderAnswers(r.provider);
    if (reserving && still === moves && L.running.size === 0) L.settle(r.auditedCostUsd);
    publishAttributes();
    wake++; // the audit trail may have moved the budget
  };
  /**
   * The batch cannot run at all: its report (state `failed`) says why, and the run fails with
   * the same words. Only failures no retry can fix get here (the activities retry the rest).
   */
  const failBatch = async (failure: string): Promise<never> => {
    ending = true;
    finalState = 'failed';
    publishAttributes();
    publishDetails();
    await db.finishBatch({ ...L.report('failed', Date.now()), failure });
    throw ApplicationFailure.nonRetryable(`the batch cannot run: ${failure}`, 'BatchFailed');
  };
  if (reserving) {
    // One activity per batch (carried over continue-as-new): each framework's worst case for the
    // batch's longest names, an upper bound for every item. The workflow cannot tokenize.
    await CancellationScope.nonCancellable(async () => {
      // Its failure was an endless retry before: no recorded run has one, so none replays this.
      if (!L.itemWorstCaseUsd)
        L.itemWorstCaseUsd = (
          await db
            .estimateBatchItemCosts({ batchId })
            .catch((err: unknown) => failBatch(describeFailure(err)))
        ).worstCaseUsd;
      // A carry from before reservations knows only finished stories' costs: read the audit trail.
      if (input.resume && input.resume.settledUsd === undefined) await checkpoint();
    });
  }
  // Checkpoints are coalesced: one write per CHECKPOINT_EVERY_MS while counters move, none while idle.
  let closing = false;
  // Handled at once: an unhandled rejection (e.g. the cancellation of its timer) would fail the task.
  const checkpointer = (async () => {
    while (!closing) {
      await condition(() => dirty || closing);
      if (closing) break;
      await condition(() => closing, CHECKPOINT_EVERY_MS);
      if (closing) break; // the run's last write (report or handover checkpoint) follows anyway
      await checkpoint();
    }
  })().catch((err) => {
    if (!isCancellation(err))
      log.warn('batch checkpoint loop stopped', { error: describeFailure(err) });
  });
  const stopCheckpointer = async () => {
    closing = true;
    await checkpointer;
  };

  const runChild = async (n: number): Promise<void> => {
    try {
      const child = await startChild(storyWorkflow, itemChild(input, batchId, n));
      const r = await child.result();
      L.onCompleted(n, r.costUsd, r.totalTokens);
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        await countExisting(n);
      } else if (isCancellation(err)) {
        L.onCancelled(n);
      } else {
        L.onFailed(n, describeFailure(err));
      }
    } finally {
      L.running.delete(n);
      moves++;
      changed();
    }
  };

  const schedules = new Map<number, number>(); // an item's schedules in this run (retry-failed)
  const runActivity = async (n: number, rerun: boolean): Promise<void> => {
    const schedule = schedules.get(n) ?? 0;
    schedules.set(n, schedule + 1);
    const { options, args } = itemActivity(input, batchId, n, {
      rerun: rerun || schedule > 0,
      schedule,
    });
    try {
      const r = await proxyActivities<Activities>(options).runBatchItem(args);
      L.onCompleted(n, r.costUsd, r.totalTokens);
    } catch (err) {
      // The item is over: an audit row still pending is an attempt whose worker died mid-call
      // (storyWorkflow does the same for a failed or cancelled child). Before the item counts as
      // failed, so it is failed and no longer running at one moment (what retry-failed queues).
      await CancellationScope.nonCancellable(() =>
        db.markLostAttempts({ workflowId: args.itemKey }),
      );
      if (isCancellation(err)) L.onCancelled(n);
      else L.onFailed(n, describeFailure(err));
    } finally {
      L.running.delete(n);
      moves++;
      changed();
    }
  };

  /** The item's ID is taken by a run that did not fail: count its story, never generate again. */
  const countExisting = async (n: number) => {
    try {
      const s = await db.findItemStory({ workflowId: itemWorkflowId(batchId, n) });
      if (s.found) L.onCompleted(n, s.costUsd, s.totalTokens);
      else
        L.onFailed(
          n,
          'DuplicateItem: another run of this item exists and has no story yet; not started twice',
        );
    } catch (err) {
      if (isCancellation(err)) L.onCancelled(n);
      else L.onFailed(n, describeFailure(err));
    }
  };

  const launch = (n: number, rerun: boolean) => {
    const p = itemMode === 'activity' ? runActivity(n, rerun) : runChild(n);
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };

  const rolloverDue = () =>
    startedThisRun >= continueAfter || workflowInfo().continueAsNewSuggested;

  /** Keeps the window full until there is nothing left to start and nothing running. */
  const drive = async (): Promise<'end' | 'continue'> => {
    for (;;) {
      if (!rollover && !L.stopReason && L.hasWork() && rolloverDue()) rollover = true;
      while (
        !rollover &&
        !L.paused &&
        !L.stopReason &&
        L.running.size < L.window() &&
        L.hasWork()
      ) {
        if (reserving) {
          if (!L.fits(L.peek())) {
            if (L.running.size > 0) break; // a finishing item frees its reservation
            if (L.unsettled > 0) {
              await checkpoint(); // failed items count at their worst case until the audit trail says
              if (L.unsettled === 0) continue;
            }
            L.stopReason = 'budget'; // not even one item fits, and nothing runs
            changed();
            break;
          }
        } else if (L.budgetReached()) {
          L.stopReason = 'budget';
          changed();
          break;
        }
        moves++;
        const rerun = L.retryQueue.length > 0; // take() starts queued retries first
        launch(L.take(), rerun);
        startedThisRun++;
        if (L.hasWork() && rolloverDue()) rollover = true;
      }
      publishDetails();
      if (L.running.size === 0) {
        if (L.stopReason || !L.hasWork()) return 'end';
        if (rollover) return 'continue';
      }
      const seen = wake;
      await condition(() => wake !== seen);
    }
  };

  /** Cancelled: the report is written whatever happens next, then the run ends as CANCELED. */
  const finishCancelled = async (cause: unknown): Promise<never> => {
    await CancellationScope.nonCancellable(async () => {
      L.stopReason = 'cancelled';
      // Running children were asked to cancel together with this workflow; wait until they did.
      await Promise.allSettled([...inflight]);
      await stopCheckpointer();
      await checkpoint();
      finalState = 'cancelled';
      publishAttributes();
      publishDetails();
      await db.finishBatch(L.report('cancelled', Date.now()));
    });
    throw cause;
  };

  let outcome: 'end' | 'continue';
  try {
    outcome = await drive();
  } catch (err) {
    if (!isCancellation(err)) throw err;
    return finishCancelled(err);
  }
  ending = true;
  // From here on the batch is only writing down its state: a cancel must not interrupt that.
  await CancellationScope.nonCancellable(async () => {
    await stopCheckpointer();
    // Always a last checkpoint: the report's cost must be the audit trail's final sum
    // (attempts billed for items that later failed or were retried count too).
    await checkpoint();
    if (outcome === 'continue') await condition(allHandlersFinished);
  });
  if (outcome === 'continue') {
    // A cancel request does not follow a run into the next one: honour it here.
    if (CancellationScope.current().consideredCancelled)
      return finishCancelled(new CancelledFailure('batch cancelled'));
    return continueAsNew<typeof batchWorkflow>({ ...input, resume: { ...L.carry(), itemMode } });
  }
  finalState = L.stopReason === 'budget' ? 'stopped' : 'completed';
  publishAttributes();
  publishDetails();
  const report = L.report(finalState, Date.now());
  await CancellationScope.nonCancellable(() => db.finishBatch(report));
  return report;
}
