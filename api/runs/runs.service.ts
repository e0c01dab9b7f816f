import { Inject, Injectable } from '@nestjs/common';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { usdToNumber } from '../../common/money';
import type { PrismaClient } from '../../prisma/client';
import { notFound } from '../common/api-error';
import { PRISMA, TEMPORAL } from '../core/tokens';
import { summarizeFailure } from '../core/workflow-errors';

@Injectable()
export class RunsService {
  constructor(
    @Inject(TEMPORAL) private readonly client: Client,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  async describe(workflowId: string) {
    const handle = this.client.workflow.getHandle(workflowId);
    let d;
    try {
      d = await handle.describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5) throw notFound('Run');
      throw err;
    }
    const status = d.status.name;
    let result: unknown;
    let failure: ReturnType<typeof summarizeFailure> | undefined;
    if (status === 'COMPLETED') result = await handle.result();
    else if (status !== 'RUNNING') {
      try {
        await handle.result();
      } catch (err) {
        failure = summarizeFailure(err);
      }
    }
    const attempts = await this.prisma.llmCallAttempt.findMany({
      where: { workflowId },
      orderBy: { id: 'asc' },
    });
    const sa = Object.fromEntries(d.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]));
    return {
      workflowId: d.workflowId,
      runId: d.runId,
      type: d.type,
      status,
      taskQueue: d.taskQueue,
      startTime: d.startTime.toISOString(),
      closeTime: d.closeTime?.toISOString() ?? null,
      historyLength: d.historyLength,
      searchAttributes: sa,
      memo: d.memo ?? {},
      summary: await d.staticSummary().catch(() => undefined),
      result,
      failure,
      pendingActivities: d.raw.pendingActivities?.map((a) => ({
        activityType: a.activityType?.name,
        attempt: a.attempt,
        state: a.state,
        lastFailure: a.lastFailure?.message,
      })),
      attempts: attempts.map((a) => ({
        activityType: a.activityType,
        attempt: a.attempt,
        step: a.step,
        outcome: a.outcome,
        httpStatus: a.httpStatus,
        errorType: a.errorType,
        errorMessage: a.errorMessage,
        inputTokens: a.inputTokens,
        outputTokens: a.outputTokens,
        costUsd: usdToNumber(a.costUsd.toString()),
        latencyMs: a.latencyMs,
        createdAt: a.createdAt.toISOString(),
      })),
      attemptCount: attempts.length,
    };
  }
}
