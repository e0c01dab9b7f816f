import { batchSize, itemAt, itemWorkflowId, type BatchSpec } from '../common/batch-items';
import type {
  BatchCarry,
  BatchProgress,
  BatchReport,
  BatchState,
  BatchStopReason,
  FailedItem,
  FailedItemDetail,
  ItemWorstCases,
  ProviderAnswers,
  ProviderPace,
} from '../common/batch-types';
import { RATE_LIMIT_LOOKBACK_MS } from '../common/batch-types';
import { MIN_BATCH_CONCURRENCY } from '../common/batch-items';
import { addUsd, compareUsd, excessUsd, usd, ZERO_USD, type Usd } from '../common/money';

/** Share of recent tries refused with 429 from which the batch's window backs off. */
const THROTTLED_REFUSED_SHARE = 0.25;

/**
 * The batch's bookkeeping, free of Temporal calls so it can be unit-tested: which item comes
 * next, counters, money, and the snapshots that go to the query, the database and the next run.
 */
export class BatchLedger {
  readonly total: number;
  cursor: number;
  completed: number;
  cancelled: number;
  readonly failed = new Map<number, string>();
  retryQueue: number[];
  costUsd: Usd;
  /** Spent according to the audit trail (all billed attempts), refreshed at checkpoints. */
  auditedCostUsd: Usd = ZERO_USD;
  /** Of that, calls paid more than once (results lost with a worker), refreshed at checkpoints. */
  repeatedCostUsd: Usd = ZERO_USD;
  totalTokens: number;
  concurrency: number;
  paused: boolean;
  stopReason: BatchStopReason | null = null;
  readonly running = new Set<number>();
  readonly startedAtMs: number;
  readonly runs: number;
  /**
   * Budget reservations (budgeted batches, patch `budget-reservations`): the worst case of one
   * item per framework; undefined = no reservations (no budget, or a run from before them).
   */
  itemWorstCaseUsd?: ItemWorstCases;
  /** What each running item reserved. */
  readonly reservations = new Map<number, Usd>();
  /**
   * Spend of finished items as the budget counts it: completed items at their cost, failed and
   * cancelled ones at their reservation (their cost is in the audit trail, not in their result)
   * until `settle` replaces the sum with the audit trail's at a moment when nothing runs.
   */
  settledUsd: Usd;
  /** Failed or cancelled items counted at their worst case since the last settle. */
  unsettled = 0;
  /**
   * The window while the provider throttles: shrunk by each checkpoint that saw 429s, grown back
   * by each that saw none, gone once it reaches `concurrency` (AIMD, as TCP does with its window).
   */
  throttledWindow: number | null;
  /** What the last checkpoint read about the provider; null before the first. */
  providerAnswers: ProviderAnswers | null = null;
  /** Items finished in this run and when the run started: the rate behind the ETA. */
  private doneThisRun = 0;
  private readonly runStartedMs: number;

  constructor(
    readonly batchId: string,
    readonly spec: BatchSpec,
    nowMs: number,
    carry?: BatchCarry,
  ) {
    this.total = batchSize(spec);
    this.cursor = carry?.cursor ?? 0;
    this.completed = carry?.completed ?? 0;
    this.cancelled = carry?.cancelled ?? 0;
    for (const f of carry?.failed ?? []) this.failed.set(f.index, f.error);
    this.retryQueue = [...(carry?.retryQueue ?? [])];
    this.costUsd = carry?.costUsd ?? ZERO_USD;
    this.itemWorstCaseUsd = carry?.itemWorstCaseUsd;
    this.settledUsd = carry?.settledUsd ?? this.costUsd;
    this.totalTokens = carry?.totalTokens ?? 0;
    this.concurrency = carry?.concurrency ?? spec.concurrency;
    this.throttledWindow = carry?.throttledWindow ?? null;
    this.paused = carry?.paused ?? false;
    this.startedAtMs = carry ? Date.parse(carry.startedAt) : nowMs;
    this.runs = (carry?.runs ?? 0) + 1;
    this.runStartedMs = nowMs;
  }

  /** Items that may run at once now. */
  window(): number {
    return this.throttledWindow === null
      ? this.concurrency
      : Math.min(this.concurrency, this.throttledWindow);
  }

  /**
   * A checkpoint's reading of the provider. When a quarter or more of the tries lately were
   * refused (429) the window shrinks to 70% of what runs: the account takes fewer callers than
   * that. Otherwise it grows by a quarter until it is `concurrency`; occasional 429s (a provider's
   * hiccups, each waited out by its call) leave the window alone rather than starve the batch.
   */
  onProviderAnswers(a: ProviderAnswers): void {
    this.providerAnswers = a;
    const answeredLately = (a.callsPerMinute * RATE_LIMIT_LOOKBACK_MS) / 60_000;
    const refusedShare =
      a.rateLimitedCalls > 0 ? a.rateLimitedCalls / (a.rateLimitedCalls + answeredLately) : 0;
    if (refusedShare >= THROTTLED_REFUSED_SHARE) {
      const from = Math.min(this.window(), Math.max(this.running.size, MIN_BATCH_CONCURRENCY));
      this.throttledWindow = Math.max(MIN_BATCH_CONCURRENCY, Math.floor(from * 0.7));
    } else if (this.throttledWindow !== null) {
      const grown = Math.ceil(this.throttledWindow * 1.25) + 1;
      this.throttledWindow = grown >= this.concurrency ? null : grown;
    }
  }

  providerPace(): ProviderPace | null {
    if (!this.providerAnswers) return null;
    const throttled = this.providerAnswers.rateLimitedCalls > 0 || this.window() < this.concurrency;
    return { ...this.providerAnswers, throttled, window: this.window() };
  }

  hasWork(): boolean {
    return this.retryQueue.length > 0 || this.cursor < this.total;
  }

  /** Spent so far: the larger of finished stories' cost and the audit trail's sum. */
  spent(): Usd {
    return compareUsd(this.auditedCostUsd, this.costUsd) > 0 ? this.auditedCostUsd : this.costUsd;
  }

  budgetReached(): boolean {
    return this.spec.budgetUsd !== undefined && compareUsd(this.spent(), this.spec.budgetUsd) >= 0;
  }

  /** The item `take` returns next (call only when `hasWork`). */
  peek(): number {
    return this.retryQueue.length ? this.retryQueue[0] : this.cursor;
  }

  /** Next item to start: queued retries first, then the cursor. Reserves its worst case. */
  take(): number {
    const n = this.retryQueue.length ? this.retryQueue.shift()! : this.cursor++;
    this.running.add(n);
    if (this.itemWorstCaseUsd) this.reservations.set(n, this.worstCaseOf(n));
    return n;
  }

  /** One item at its worst: the reservation it needs to start. */
  worstCaseOf(n: number): Usd {
    // Every framework of the spec has a bound; were one missing, the item would reserve the whole budget.
    return (
      this.itemWorstCaseUsd?.[itemAt(this.spec, n).framework] ?? this.spec.budgetUsd ?? ZERO_USD
    );
  }

  /**
   * Spending the cap could not prevent. With reservations, every first call of an item fits in
   * the budget, so the overshoot is the calls paid again after a worker crash (or the excess,
   * were that ever larger): spent - overshoot <= budget. Without them (runs from before), the excess.
   */
  overshootUsd(): Usd {
    if (this.spec.budgetUsd === undefined) return ZERO_USD;
    const excess = excessUsd(this.spent(), this.spec.budgetUsd);
    if (!this.itemWorstCaseUsd) return excess;
    return compareUsd(this.repeatedCostUsd, excess) > 0 ? usd(this.repeatedCostUsd) : excess;
  }

  reservedUsd(): Usd {
    return addUsd(ZERO_USD, ...this.reservations.values());
  }

  /**
   * What the budget counts as gone: finished items plus the reservations of running ones (or
   * the audit trail's sum when larger: calls repeated after a worker crash).
   */
  committedUsd(): Usd {
    const c = addUsd(this.settledUsd, this.reservedUsd());
    return compareUsd(this.auditedCostUsd, c) > 0 ? usd(this.auditedCostUsd) : c;
  }

  /** Whether item n's worst case fits in budget - spent - reservations. */
  fits(n: number): boolean {
    if (this.spec.budgetUsd === undefined) return true;
    return compareUsd(addUsd(this.committedUsd(), this.worstCaseOf(n)), this.spec.budgetUsd) <= 0;
  }

  /**
   * The audit trail's sum, read while nothing ran and nothing started or finished: the exact
   * spend so far, which replaces the worst cases counted for failed and cancelled items.
   */
  settle(auditedUsd: Usd): void {
    this.settledUsd = compareUsd(auditedUsd, this.costUsd) > 0 ? usd(auditedUsd) : this.costUsd;
    this.unsettled = 0;
  }

  /** An item's reservation ends; failed and cancelled items keep counting it until a settle. */
  private release(n: number, settledBy?: Usd): void {
    const reserved = this.reservations.get(n);
    this.reservations.delete(n);
    if (settledBy !== undefined) this.settledUsd = addUsd(this.settledUsd, settledBy);
    else if (reserved !== undefined) {
      this.settledUsd = addUsd(this.settledUsd, reserved);
      this.unsettled++;
    }
  }

  onCompleted(n: number, costUsd: Usd, tokens: number): void {
    this.completed++;
    this.failed.delete(n);
    this.costUsd = addUsd(this.costUsd, costUsd);
    this.totalTokens += tokens;
    this.doneThisRun++;
    this.release(n, costUsd);
  }

  onFailed(n: number, error: string): void {
    this.failed.set(n, error.slice(0, 300));
    this.doneThisRun++;
    this.release(n);
  }

  onCancelled(n: number): void {
    this.cancelled++;
    this.release(n);
  }

  /** Queues every failed item (not running) for another attempt; returns how many. */
  queueRetries(): number {
    const ids = [...this.failed.keys()].filter(
      (n) => !this.running.has(n) && !this.retryQueue.includes(n),
    );
    for (const n of ids) this.failed.delete(n);
    this.retryQueue.push(...ids.sort((a, b) => a - b));
    return ids.length;
  }

  progress(state: BatchState, nowMs: number): BatchProgress {
    const failed = this.failed.size;
    const running = this.running.size;
    const pending = this.total - this.completed - failed - this.cancelled - running;
    const elapsed = (nowMs - this.runStartedMs) / 1000;
    const eta =
      state === 'running' && this.doneThisRun > 0 && elapsed > 0
        ? Math.round(((pending + running) * elapsed) / this.doneThisRun)
        : null;
    return {
      batchId: this.batchId,
      state,
      stopReason: this.stopReason,
      total: this.total,
      completed: this.completed,
      failed,
      cancelled: this.cancelled,
      running,
      pending,
      costUsd: this.spent(),
      totalTokens: this.totalTokens,
      budgetUsd: this.spec.budgetUsd !== undefined ? usd(this.spec.budgetUsd) : null,
      reservedUsd: this.reservedUsd(),
      overshootUsd: this.overshootUsd(),
      concurrency: this.concurrency,
      etaSeconds: eta,
      ...(this.providerAnswers ? { provider: this.providerPace() } : {}),
      runs: this.runs,
      startedAt: new Date(this.startedAtMs).toISOString(),
      updatedAt: new Date(nowMs).toISOString(),
    };
  }

  carry(): BatchCarry {
    return {
      cursor: this.cursor,
      completed: this.completed,
      cancelled: this.cancelled,
      failed: this.failedItems(),
      retryQueue: [...this.retryQueue],
      costUsd: this.costUsd,
      totalTokens: this.totalTokens,
      concurrency: this.concurrency,
      ...(this.throttledWindow !== null ? { throttledWindow: this.throttledWindow } : {}),
      paused: this.paused,
      startedAt: new Date(this.startedAtMs).toISOString(),
      runs: this.runs,
      ...(this.itemWorstCaseUsd
        ? { itemWorstCaseUsd: this.itemWorstCaseUsd, settledUsd: this.settledUsd }
        : {}),
    };
  }

  failedItems(): FailedItem[] {
    return [...this.failed.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, error]) => ({ index, error }));
  }

  failedItemDetails(): FailedItemDetail[] {
    return this.failedItems().map((f) => {
      const item = itemAt(this.spec, f.index);
      return {
        ...f,
        workflowId: itemWorkflowId(this.batchId, f.index),
        framework: item.framework,
        primaryCharacter: item.primaryCharacter,
        secondaryCharacter: item.secondaryCharacter,
      };
    });
  }

  report(state: BatchState, nowMs: number): BatchReport {
    return {
      ...this.progress(state, nowMs),
      etaSeconds: null,
      notStarted: this.total - this.cursor + this.retryQueue.length,
      failedItems: this.failedItemDetails(),
      finishedAt: new Date(nowMs).toISOString(),
      durationSeconds: Math.round((nowMs - this.startedAtMs) / 1000),
    };
  }
}
