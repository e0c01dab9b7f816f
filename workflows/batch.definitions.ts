import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BatchProgress, FailedItemDetail } from '../common/batch-types';

// Message definitions of batchWorkflow, shared by the workflow and its callers (API, MCP).
// Updates rather than signals: the caller learns at once whether the change was accepted and
// gets the resulting progress back.

export const batchProgressQuery = defineQuery<BatchProgress>('progress');
/** Failed items so far (a retry-failed empties it). */
export const batchFailedItemsQuery = defineQuery<FailedItemDetail[]>('failedItems');
/** Stop starting items; running ones finish. */
export const pauseBatchUpdate = defineUpdate<BatchProgress>('pause');
export const resumeBatchUpdate = defineUpdate<BatchProgress>('resume');
export const setConcurrencyUpdate = defineUpdate<BatchProgress, [number]>('setConcurrency');
/** Queues every failed item for another attempt (same child IDs: a failed run may be rerun). */
export const retryFailedUpdate = defineUpdate<{ queued: number; progress: BatchProgress }>('retryFailed');
