import type {
  BatchCheckpoint,
  BatchCheckpointResult,
  BatchProgress,
  BatchReport,
  BatchState,
  ItemStoryLookup,
  OpenBatchInput,
} from '../../common/batch-types';
import { usd, ZERO_USD } from '../../common/money';
import type { ActivityDeps } from '../deps';

/** `batches.status`: what a list shows; `finishing` is still running as far as a reader cares. */
export function batchStatus(state: BatchState): string {
  return state === 'finishing' ? 'running' : state;
}

function counters(p: BatchProgress) {
  return {
    status: batchStatus(p.state),
    completed: p.completed,
    failed: p.failed,
    cancelled: p.cancelled,
    concurrency: p.concurrency,
    spentUsd: p.costUsd,
    totalTokens: p.totalTokens,
    stopReason: p.stopReason,
  };
}

/**
 * The batch's row in `batches`. Every write is idempotent (create-if-missing, or absolute
 * counters), so a retried or replayed activity changes nothing.
 */
export function batchRecords(deps: ActivityDeps) {
  const { prisma } = deps;
  return {
    async openBatch(input: OpenBatchInput): Promise<void> {
      await prisma.batch.upsert({
        where: { id: input.batchId },
        create: {
          id: input.batchId,
          workflowId: input.batchId,
          status: 'running',
          totalItems: input.totalItems,
          concurrency: input.spec.concurrency,
          budgetUsd: input.spec.budgetUsd ?? null,
          origin: input.origin,
          spec: JSON.stringify(input.spec),
          transactionGuid: input.correlationId,
        },
        // A closed batch reopened by retry-failed is running again.
        update: input.reopen ? { status: 'running', finishedAt: null } : {},
      });
    },

    /** Counters of a running batch; returns what the audit trail says the batch has cost. */
    async checkpointBatch(input: BatchCheckpoint): Promise<BatchCheckpointResult> {
      await prisma.batch.update({ where: { id: input.batchId }, data: counters(input.progress) });
      const sum = await prisma.llmCallAttempt.aggregate({ where: { batchId: input.batchId }, _sum: { costUsd: true } });
      return { auditedCostUsd: usd(sum._sum.costUsd?.toString() ?? ZERO_USD) };
    },

    async finishBatch(report: BatchReport): Promise<void> {
      await prisma.batch.update({
        where: { id: report.batchId },
        data: { ...counters(report), report: JSON.stringify(report), finishedAt: new Date(report.finishedAt) },
      });
      deps.logger.info(
        { batchId: report.batchId, state: report.state, completed: report.completed, failed: report.failed, costUsd: report.costUsd },
        'batch finished',
      );
    },

    /** The story of an item whose child ID was already taken (counted, never generated twice). */
    async findItemStory(input: { workflowId: string }): Promise<ItemStoryLookup> {
      const row = await prisma.story.findUnique({
        where: { workflowId: input.workflowId },
        select: { estimatedCostUsd: true, totalTokens: true },
      });
      return row
        ? { found: true, costUsd: usd(row.estimatedCostUsd?.toString() ?? ZERO_USD), totalTokens: row.totalTokens ?? 0 }
        : { found: false, costUsd: ZERO_USD, totalTokens: 0 };
    },
  };
}
