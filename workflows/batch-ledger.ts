import { batchSize, itemAt, itemWorkflowId, type BatchSpec } from '../common/batch-items';
import type {
  BatchCarry,
  BatchProgress,
  BatchReport,
  BatchState,
  BatchStopReason,
  FailedItem,
  FailedItemDetail,
} from '../common/batch-types';
import { addUsd, compareUsd, usd, ZERO_USD, type Usd } from '../common/money';

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
  totalTokens: number;
  concurrency: number;
  paused: boolean;
  stopReason: BatchStopReason | null = null;
  readonly running = new Set<number>();
  readonly startedAtMs: number;
  readonly runs: number;
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
    this.totalTokens = carry?.totalTokens ?? 0;
    this.concurrency = carry?.concurrency ?? spec.concurrency;
    this.paused = carry?.paused ?? false;
    this.startedAtMs = carry ? Date.parse(carry.startedAt) : nowMs;
    this.runs = (carry?.runs ?? 0) + 1;
    this.runStartedMs = nowMs;
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

  /** Next item to start: queued retries first, then the cursor. */
  take(): number {
    const n = this.retryQueue.length ? this.retryQueue.shift()! : this.cursor++;
    this.running.add(n);
    return n;
  }

  onCompleted(n: number, costUsd: Usd, tokens: number): void {
    this.completed++;
    this.failed.delete(n);
    this.costUsd = addUsd(this.costUsd, costUsd);
    this.totalTokens += tokens;
    this.doneThisRun++;
  }

  onFailed(n: number, error: string): void {
    this.failed.set(n, error.slice(0, 300));
    this.doneThisRun++;
  }

  onCancelled(_n: number): void {
    this.cancelled++;
  }

  /** Queues every failed item (not running) for another attempt; returns how many. */
  queueRetries(): number {
    const ids = [...this.failed.keys()].filter((n) => !this.running.has(n) && !this.retryQueue.includes(n));
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
      concurrency: this.concurrency,
      etaSeconds: eta,
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
      paused: this.paused,
      startedAt: new Date(this.startedAtMs).toISOString(),
      runs: this.runs,
    };
  }

  failedItems(): FailedItem[] {
    return [...this.failed.entries()].sort(([a], [b]) => a - b).map(([index, error]) => ({ index, error }));
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
