import type { PersistedStory, PersistStoryInput } from '../../common/workflow-types';
import type { Prisma } from '../../prisma/client';
import { isUniqueViolation } from '../../prisma/unique-violation';
import type { ActivityDeps } from '../deps';
import { closeLostAttempts, writeDeferredAuditRows } from '../llm/audit';

/** A generated story's row: the one mapping from the workflow's names to the table's. */
export function storyRow(input: PersistStoryInput): Prisma.StoryCreateInput {
  const g = input.generation;
  return {
    primaryCharacter: input.primaryCharacter,
    secondaryCharacter: input.secondaryCharacter,
    combinedCharacters: `${input.primaryCharacter} and ${input.secondaryCharacter}`,
    storyContent: g.text,
    method: g.framework,
    generationTimeMs: g.generationTimeMs,
    inputTokens: g.inputTokens,
    outputTokens: g.outputTokens,
    totalTokens: g.totalTokens,
    requestId: input.requestId ?? null,
    correlationId: input.correlationId,
    provider: g.provider,
    model: g.model,
    estimatedCostUsd: g.costUsd,
    inputCostPer1kTokens: g.inputCostPer1k,
    outputCostPer1kTokens: g.outputCostPer1k,
    workflowId: input.workflowId,
    runId: input.runId,
    origin: input.origin,
    batchId: input.batchId ?? null,
    llmCalls: g.llmCalls,
  };
}

/** Idempotent: keyed by workflow ID, so a retried or replayed persist never adds a second row. */
export function storyPersistence(deps: ActivityDeps) {
  return {
    async persistStory(input: PersistStoryInput): Promise<PersistedStory> {
      const data = storyRow(input);
      // Audit rows the generation could not write (database down): first, so a stored story
      // always has its calls audited. Idempotent, like the story itself.
      await writeDeferredAuditRows(
        deps.prisma,
        input.generation.steps.flatMap((s) => (s.deferredAudit ? [s.deferredAudit] : [])),
      );
      // The generation is over: a row still pending is an attempt whose worker died mid-call.
      await closeLostAttempts(deps.prisma, input.workflowId);
      // Insert unless this workflow's story exists (a retried or repeated persist): then that row.
      const select = { id: true, createdAt: true } as const;
      let row: { id: number; createdAt: Date };
      try {
        row = await deps.prisma.story.create({ data, select });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        row = await deps.prisma.story.findUniqueOrThrow({
          where: { workflowId: input.workflowId },
          select,
        });
      }
      deps.logger.info(
        { correlationId: input.correlationId, workflowId: input.workflowId, storyId: row.id },
        'story persisted',
      );
      return { storyId: row.id, createdAt: row.createdAt.toISOString() };
    },
  };
}
