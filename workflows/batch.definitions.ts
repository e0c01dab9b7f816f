import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BatchSpec } from '../common/batch-items';
import type { BatchCarry, BatchProgress, FailedItemDetail } from '../common/batch-types';
import type { Correlation, RunSettings } from '../common/workflow-types';

// Contract of batchWorkflow with its callers (API, MCP, schedules): input, messages. Its result,
// BatchReport, is in common/batch-types.ts with the progress it extends (the HTTP schemas are
// checked against both). Updates rather than signals: the caller learns at once whether the
// change was accepted and gets the resulting progress back.

export interface BatchWorkflowInput extends Correlation {
  spec: BatchSpec;
  settings: RunSettings;
  /** Provider/model the API is configured with: search attributes of the children at start. */
  llm: { provider: string; model: string };
  /** State carried over by continue-as-new, or by a retry-failed that reopens a closed batch. */
  resume?: BatchCarry;
}

export const batchProgressQuery = defineQuery<BatchProgress>('progress');
/** Failed items so far (a retry-failed empties it). */
export const batchFailedItemsQuery = defineQuery<FailedItemDetail[]>('failedItems');
/** Stop starting items; running ones finish. */
export const pauseBatchUpdate = defineUpdate<BatchProgress>('pause');
export const resumeBatchUpdate = defineUpdate<BatchProgress>('resume');
export const setConcurrencyUpdate = defineUpdate<BatchProgress, [number]>('setConcurrency');
/** Queues every failed item for another attempt (same child IDs: a failed run may be rerun). */
export const retryFailedUpdate = defineUpdate<{ queued: number; progress: BatchProgress }>(
  'retryFailed',
);
