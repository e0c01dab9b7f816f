import type { BatchItemMode, BatchSpec } from './batch-items';
import type { Framework } from './frameworks';
import type { Usd } from './money';
import type { GenerateStoryInput } from './workflow-types';

/**
 * What batchWorkflow, its activities and the API that reads its progress share: progress, the
 * final report (the workflow's result), carried state. Types only. The workflow's own contract
 * (input, messages) is in workflows/batch.definitions.ts.
 */

export interface FailedItem {
  index: number;
  error: string;
}

/** Everything a run hands to the next one. No in-flight children: a run drains before it continues. */
export interface BatchCarry {
  /** Next item never started. */
  cursor: number;
  completed: number;
  cancelled: number;
  failed: FailedItem[];
  /** Failed items queued by retryFailed, started before new ones. */
  retryQueue: number[];
  costUsd: Usd;
  totalTokens: number;
  concurrency: number;
  paused: boolean;
  /** When the batch's first run started (ISO), for the ETA and the report. */
  startedAt: string;
  /** Runs so far, this one included once it starts (continue-as-new and reopen count). */
  runs: number;
  /** A closed batch reopened by retry-failed: the row goes back to running. */
  reopen?: boolean;
  /** Worst-case cost of one item per framework, computed once per batch (absent: not yet). */
  itemWorstCaseUsd?: ItemWorstCases;
  /** The window while the provider throttles (absent: not throttled). */
  throttledWindow?: number;
  /** How the batch runs its items, fixed by its first run (absent in carries from before item modes). */
  itemMode?: BatchItemMode;
  /**
   * Spend of finished items as the budget counts it (absent in carries from before budget
   * reservations: the run then reads the audit trail before it starts anything).
   */
  settledUsd?: Usd;
}

/** An upper bound of one item's cost, per framework of the batch: the budget reserves it at start. */
export type ItemWorstCases = Partial<Record<Framework, Usd>>;

/** What `estimateBatchItemCosts` finds: the reservation per framework and what it assumed. */
export interface BatchItemCostBounds {
  worstCaseUsd: ItemWorstCases;
  /** false: the model is not in the pricing table, so every item reserves 0. */
  priced: boolean;
  model: string;
  maxTokens: number;
}

/**
 * `finishing`: no new starts, waiting for running children (before continue-as-new or the end).
 * `failed`: the batch could not run at all (its report's `failure` says why).
 */
export type BatchState =
  'running' | 'paused' | 'finishing' | 'completed' | 'stopped' | 'cancelled' | 'failed';
export type BatchStopReason = 'budget' | 'cancelled';

export interface BatchProgress {
  batchId: string;
  state: BatchState;
  stopReason: BatchStopReason | null;
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  running: number;
  /** Not started yet (including failed items queued for retry). */
  pending: number;
  costUsd: Usd;
  totalTokens: number;
  budgetUsd: Usd | null;
  /** Worst-case cost reserved by the running items (budgeted batches; 0 without a budget). */
  reservedUsd: Usd;
  /** The audited cost of calls paid again after a worker crash (spent - overshoot <= budget); 0 without a budget. */
  overshootUsd: Usd;
  concurrency: number;
  /** Seconds to finish at the rate so far; null while paused, stopped or before the first item. */
  etaSeconds: number | null;
  /** How the provider answers the batch's calls (from the audit trail at checkpoints); absent before the first. */
  provider?: ProviderPace | null;
  runs: number;
  startedAt: string;
  updatedAt: string;
}

/** The provider's answers to a batch's LLM calls lately, and what the batch does about them. */
export interface ProviderPace {
  /** Calls answered per minute over the last minute: the current pace. */
  callsPerMinute: number;
  /** Calls refused with 429 (rate limited) over the last RATE_LIMIT_LOOKBACK_MS. */
  rateLimitedCalls: number;
  /** Throttled by the provider: 429s lately, or the window has not grown back to `concurrency` yet. */
  throttled: boolean;
  /** Items the batch runs at once now: `concurrency`, or less while throttled. */
  window: number;
}

/** What a checkpoint reads from the audit trail about the provider (absent from results before it). */
export type ProviderAnswers = Pick<ProviderPace, 'callsPerMinute' | 'rateLimitedCalls'>;

/** How far back a checkpoint counts the batch's 429s. */
export const RATE_LIMIT_LOOKBACK_MS = 10_000;

export interface FailedItemDetail extends FailedItem {
  workflowId: string;
  framework: Framework;
  primaryCharacter: string;
  secondaryCharacter: string;
}

/** The final word on a batch: workflow result and `batches.report`. */
export interface BatchReport extends BatchProgress {
  /** Items never started (budget cap or cancellation). */
  notStarted: number;
  failedItems: FailedItemDetail[];
  finishedAt: string;
  durationSeconds: number;
  /** State `failed`: what the batch could not get past (e.g. a stored spec that cannot be estimated). */
  failure?: string;
}

export interface OpenBatchInput {
  batchId: string;
  spec: BatchSpec;
  totalItems: number;
  origin: string;
  correlationId: string;
  reopen: boolean;
}

export interface BatchCheckpoint {
  batchId: string;
  progress: BatchProgress;
}

export interface BatchCheckpointResult {
  /** Everything the audit trail says this batch's LLM calls cost, failed attempts included. */
  auditedCostUsd: Usd;
  /**
   * Of that, calls paid more than once: successes of an item's call before the one its story
   * kept (the result was lost with a worker). Absent from results recorded before it existed.
   */
  repeatedCostUsd?: Usd;
  provider?: ProviderAnswers;
}

export interface ItemStoryLookup {
  found: boolean;
  costUsd: Usd;
  totalTokens: number;
}

/** Item n of a batch in `activity` mode: the story to make, and the key its rows are written under. */
export interface BatchItemInput extends GenerateStoryInput {
  /** `<batchId>/item-<n>`: the story row's and the audit rows' workflow ID, as in `workflow` mode. */
  itemKey: string;
  index: number;
  /** Started again by retry-failed: it may have stored its story already, so look first. */
  rerun?: boolean;
}

/** What the batch counts of a finished item (the story text stays in its row). */
export interface BatchItemResult {
  storyId: number;
  costUsd: Usd;
  totalTokens: number;
  llmCalls: number;
  /** false: the item's story was stored already (an earlier attempt), counted, not made again. */
  generated: boolean;
}
