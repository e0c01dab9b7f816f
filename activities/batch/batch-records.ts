import type {
  BatchCheckpoint,
  BatchCheckpointResult,
  BatchProgress,
  BatchReport,
  BatchState,
  ItemStoryLookup,
  OpenBatchInput,
  ProviderAnswers,
} from '../../common/batch-types';
import type { AuditOutcome } from '../../common/audit-outcomes';
import { RATE_LIMITED } from '../llm/errors';
import { RATE_LIMIT_LOOKBACK_MS } from '../../common/batch-types';
import { addUsd, usd, ZERO_USD, type Usd } from '../../common/money';
import type { PrismaClient } from '../../prisma/client';
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
 * Calls of the batch paid more than once: for each item's call (workflow ID, call index) with
 * several successful attempts, all but the latest, which is the one whose result reached the
 * story (an earlier one's was lost with its worker). Repeats are rare, so the groups come first.
 */
export async function repeatedCallsCostUsd(prisma: PrismaClient, batchId: string): Promise<Usd> {
  const success: AuditOutcome = 'success';
  const groups = await prisma.llmCallAttempt.groupBy({
    by: ['workflowId', 'callIndex'],
    where: { batchId, outcome: success },
    having: { id: { _count: { gt: 1 } } },
  });
  let total = ZERO_USD;
  for (let i = 0; i < groups.length; i += REPEATED_GROUPS_PER_QUERY) {
    const rows = await prisma.llmCallAttempt.findMany({
      where: {
        batchId,
        outcome: success,
        OR: groups
          .slice(i, i + REPEATED_GROUPS_PER_QUERY)
          .map((g) => ({ workflowId: g.workflowId, callIndex: g.callIndex })),
      },
      select: { workflowId: true, callIndex: true, costUsd: true },
      // createdAt is when the call started (a deferred row keeps it); the id breaks ties.
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    const kept = new Set<string>();
    for (const r of rows) {
      const call = `${r.workflowId}#${r.callIndex}`;
      if (kept.has(call)) total = addUsd(total, r.costUsd.toString());
      else kept.add(call);
    }
  }
  return total;
}
const REPEATED_GROUPS_PER_QUERY = 200;

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
          correlationId: input.correlationId,
        },
        // A closed batch reopened by retry-failed is running again.
        update: input.reopen ? { status: 'running', finishedAt: null } : {},
      });
    },

    /** Counters of a running batch; returns what the audit trail says the batch has cost. */
    async checkpointBatch(input: BatchCheckpoint): Promise<BatchCheckpointResult> {
      await prisma.batch.update({ where: { id: input.batchId }, data: counters(input.progress) });
      const sum = await prisma.llmCallAttempt.aggregate({
        where: { batchId: input.batchId },
        _sum: { costUsd: true },
      });
      return {
        auditedCostUsd: usd(sum._sum.costUsd?.toString() ?? ZERO_USD),
        repeatedCostUsd: await repeatedCallsCostUsd(prisma, input.batchId),
        provider: await providerAnswers(prisma, input.batchId),
      };
    },

    async finishBatch(report: BatchReport): Promise<void> {
      await prisma.batch.update({
        where: { id: report.batchId },
        data: {
          ...counters(report),
          report: JSON.stringify(report),
          finishedAt: new Date(report.finishedAt),
        },
      });
      deps.logger.info(
        {
          batchId: report.batchId,
          state: report.state,
          completed: report.completed,
          failed: report.failed,
          costUsd: report.costUsd,
        },
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
        ? {
            found: true,
            costUsd: usd(row.estimatedCostUsd?.toString() ?? ZERO_USD),
            totalTokens: row.totalTokens ?? 0,
          }
        : { found: false, costUsd: ZERO_USD, totalTokens: 0 };
    },
  };
}

/** 429s this recent slow the batch down: about three checkpoints' worth. */

/** The provider's answers to the batch's calls lately: its pace, and the 429s it sent. */
async function providerAnswers(
  prisma: PrismaClient,
  batchId: string,
  now = Date.now(),
): Promise<ProviderAnswers> {
  const [answered, rateLimitedCalls] = await Promise.all([
    prisma.llmCallAttempt.aggregate({
      where: { batchId, outcome: 'success', createdAt: { gte: new Date(now - 60_000) } },
      _count: { _all: true },
      _min: { createdAt: true },
    }),
    prisma.llmCallAttempt.count({
      where: {
        batchId,
        errorType: RATE_LIMITED,
        createdAt: { gte: new Date(now - RATE_LIMIT_LOOKBACK_MS) },
      },
    }),
  ]);
  // Over the last minute, or since the first of those calls when the batch is younger.
  const since = answered._min.createdAt?.getTime() ?? now;
  const seconds = Math.max(5, (now - since) / 1000);
  return { callsPerMinute: Math.round((answered._count._all * 60) / seconds), rateLimitedCalls };
}
