import { Inject, Injectable } from '@nestjs/common';
import { addUsd, usd } from '../../common/money';
import type { AuditQuery } from '../../common/schemas/audit';
import type { AuditPage } from '../../common/schemas/audit-responses';
import type { PrismaClient } from '../../prisma/client';
import { PRISMA } from '../core/tokens';
import { batchWorkflow } from '../../workflows/batch.workflow';

/** The audit trail: one row per LLM call attempt, success or failure, billed or not. */
@Injectable()
export class AuditService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  private where(q: AuditQuery) {
    return {
      ...(q.workflowId ? { workflowId: q.workflowId } : {}),
      ...(q.runId ? { runId: q.runId } : {}),
      ...(q.batchId ? { batchId: q.batchId } : {}),
      ...(q.framework ? { framework: q.framework } : {}),
      ...(q.outcome ? { outcome: q.outcome } : {}),
      ...(q.errorType ? { errorType: q.errorType } : {}),
      ...(q.origin ? { origin: q.origin } : {}),
      ...(q.from || q.to
        ? { createdAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) } }
        : {}),
    };
  }

  async list(q: AuditQuery): Promise<AuditPage> {
    const where = this.where(q);
    const [rows, all, byOutcome, byErrorType, billedErrors] = await Promise.all([
      this.prisma.llmCallAttempt.findMany({
        where,
        orderBy: { id: 'desc' },
        skip: q.skip,
        take: q.limit,
      }),
      this.prisma.llmCallAttempt.aggregate({
        where,
        _count: { _all: true },
        _sum: {
          inputTokens: true,
          outputTokens: true,
          totalTokens: true,
          costUsd: true,
          latencyMs: true,
        },
      }),
      this.prisma.llmCallAttempt.groupBy({ by: ['outcome'], where, _count: { _all: true } }),
      this.prisma.llmCallAttempt.groupBy({
        by: ['errorType'],
        where: { ...where, outcome: 'error' },
        _count: { _all: true },
      }),
      this.prisma.llmCallAttempt.aggregate({
        where: { ...where, outcome: 'error', totalTokens: { gt: 0 } },
        _count: { _all: true },
        _sum: { costUsd: true },
      }),
    ]);
    const count = all._count._all;
    return {
      total: count,
      skip: q.skip,
      limit: q.limit,
      totals: {
        attempts: count,
        byOutcome: Object.fromEntries(byOutcome.map((g) => [g.outcome, g._count._all])),
        byErrorType: Object.fromEntries(
          byErrorType.map((g) => [g.errorType ?? 'unknown', g._count._all]),
        ),
        inputTokens: all._sum.inputTokens ?? 0,
        outputTokens: all._sum.outputTokens ?? 0,
        totalTokens: all._sum.totalTokens ?? 0,
        costUsd: addUsd(all._sum.costUsd?.toString() ?? 0),
        /** Failed attempts the provider still charged for (usage came back, then the call failed). */
        billedErrors: {
          attempts: billedErrors._count._all,
          costUsd: addUsd(billedErrors._sum.costUsd?.toString() ?? 0),
        },
        averageLatencyMs: count ? Math.round(((all._sum.latencyMs ?? 0) / count) * 10) / 10 : null,
      },
      items: rows.map((r) => ({
        id: r.id,
        createdAt: r.createdAt.toISOString(),
        workflowId: r.workflowId,
        runId: r.runId,
        workflowType: r.workflowType,
        activityId: r.activityId,
        activityType: r.activityType,
        attempt: r.attempt,
        callIndex: r.callIndex,
        step: r.step,
        framework: r.framework,
        provider: r.provider,
        model: r.model,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        totalTokens: r.totalTokens,
        costUsd: usd(r.costUsd.toString()),
        latencyMs: r.latencyMs,
        outcome: r.outcome,
        httpStatus: r.httpStatus,
        errorType: r.errorType,
        errorMessage: r.errorMessage,
        origin: r.origin,
        batchId: r.batchId,
        transactionGuid: r.correlationId,
        links: { run: `/api/runs/${encodeURIComponent(runOf(r))}` },
      })),
    };
  }
}

/** The run that made the call: a batch item run as an activity has none of its own, its batch's run did. */
function runOf(r: { workflowId: string; workflowType: string; batchId: string | null }): string {
  return r.workflowType === batchWorkflow.name && r.batchId ? r.batchId : r.workflowId;
}
