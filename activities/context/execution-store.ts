import { ApplicationFailure } from '@temporalio/common';
import {
  type BegunContextExecution,
  type BeginContextExecutionInput,
  type CompleteContextExecutionInput,
  CONTEXT_FILES_NOT_FOUND,
  type FailContextExecutionInput,
} from '../../common/context-workflow-types';
import type { ActivityDeps } from '../deps';
import { closeLostAttempts, writeDeferredAuditRows } from '../llm/audit';
import { filesNotFoundMessage, missingIds, summarizeFiles } from './build-context';

/**
 * The execution row's life: created `processing`, then `completed` or `failed`. Every write is
 * keyed by the workflow ID and only moves a row out of `processing`, so a retried or replayed
 * activity never adds a row or rewrites a finished one.
 */
export function contextExecutionStore(deps: ActivityDeps) {
  const { prisma, config, logger } = deps;
  const rows = prisma.contextPromptExecution;

  return {
    async beginContextExecution(input: BeginContextExecutionInput): Promise<BegunContextExecution> {
      const files = await prisma.contextFile.findMany({
        where: { id: { in: input.fileIds } },
        select: {
          id: true,
          originalFilename: true,
          fileType: true,
          fileSizeBytes: true,
          processedContentLength: true,
          processingTimeMs: true,
        },
      });
      const byId = new Map(files.map((f) => [f.id, f]));
      const found = input.fileIds.flatMap((id) => byId.get(id) ?? []);
      const missing = missingIds(input.fileIds, files);
      const s = summarizeFiles(found);
      const failure = missing.length > 0 ? filesNotFoundMessage(missing) : null;
      const row = await rows.upsert({
        where: { workflowId: input.workflowId },
        create: {
          ...s,
          originalFilename: failure
            ? [...found.map((f) => f.originalFilename), ...missing].join(', ').slice(0, 2000)
            : s.originalFilename,
          fileType: input.fileIds.length > 1 ? 'multiple' : (found[0]?.fileType ?? 'unknown'),
          fileIds: input.fileIds.join(','),
          systemPrompt: input.systemPrompt,
          userPrompt: input.userPrompt,
          method: input.framework,
          provider: config.provider.name,
          model: config.provider.model,
          requestId: input.requestId ?? null,
          correlationId: input.correlationId,
          userIp: input.userIp?.slice(0, 45) ?? null,
          status: failure ? 'failed' : 'processing',
          errorMessage: failure,
          completedAt: failure ? new Date() : null,
          workflowId: input.workflowId,
          origin: input.origin,
        },
        update: {},
        select: { id: true, createdAt: true },
      });
      // Deleted between the request and the run: recorded as failed, not retried.
      if (failure) throw ApplicationFailure.nonRetryable(failure, CONTEXT_FILES_NOT_FOUND);
      logger.info(
        { correlationId: input.correlationId, workflowId: input.workflowId, executionId: row.id },
        'context execution started',
      );
      return { executionId: row.id, createdAt: row.createdAt.toISOString(), ...s };
    },

    async completeContextExecution(input: CompleteContextExecutionInput): Promise<void> {
      const a = input.answer;
      await writeDeferredAuditRows(prisma, a.deferredAudit ? [a.deferredAudit] : []);
      await rows.updateMany({
        where: { workflowId: input.workflowId, status: 'processing' },
        data: {
          status: 'completed',
          llmResponse: a.text,
          finalPromptLength: a.finalPromptLength,
          provider: a.provider,
          model: a.model,
          llmExecutionTimeMs: a.llmExecutionTimeMs,
          totalExecutionTimeMs: input.totalExecutionTimeMs,
          inputTokens: a.inputTokens,
          outputTokens: a.outputTokens,
          totalTokens: a.totalTokens,
          estimatedCostUsd: a.costUsd,
          inputCostPer1kTokens: a.inputCostPer1k,
          outputCostPer1kTokens: a.outputCostPer1k,
          completedAt: new Date(),
        },
      });
      await closeLostAttempts(prisma, input.workflowId);
      logger.info(
        { workflowId: input.workflowId, totalTokens: a.totalTokens },
        'context execution completed',
      );
    },

    async failContextExecution(input: FailContextExecutionInput): Promise<void> {
      await rows.updateMany({
        where: { workflowId: input.workflowId, status: 'processing' },
        data: {
          status: 'failed',
          errorMessage: input.errorMessage.slice(0, 2000),
          totalExecutionTimeMs: input.totalExecutionTimeMs,
          completedAt: new Date(),
        },
      });
      await closeLostAttempts(prisma, input.workflowId);
      logger.warn({ workflowId: input.workflowId }, 'context execution failed');
    },
  };
}
