import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BegunContextExecution, ContextAnswer } from '../common/context-workflow-types';
import { FRAMEWORK_LABELS } from '../common/frameworks';
import { SEARCH_ATTRIBUTE_KEYS as SA } from '../temporal/search-attributes';
import { persistOptions, singleCallOptions } from './activity-options';
import {
  contextProgressQuery,
  type ContextProgress,
  type ContextResult,
  type ContextWorkflowInput,
} from './context.definitions';

/**
 * "Talk to your files": record the execution, answer with one LLM call over the files' text,
 * then record the answer, or the failure, on the same row. Failed runs stay readable.
 */
export async function contextWorkflow(input: ContextWorkflowInput): Promise<ContextResult> {
  const info = workflowInfo();
  const progress: ContextProgress = { state: 'queued', framework: input.framework };
  setHandler(contextProgressQuery, () => progress);
  const llm = proxyActivities<Activities>(singleCallOptions(input.settings));
  const db = proxyActivities<Activities>(persistOptions);
  // Workflow time is deterministic; file processing happened at upload and is added to it.
  const totalMs = (fileMs: number) =>
    Math.round((fileMs + Date.now() - info.runStartTime.getTime()) * 100) / 100;
  const correlation = {
    correlationId: input.correlationId,
    requestId: input.requestId,
    origin: input.origin,
    batchId: input.batchId,
  };

  const fail = async (err: unknown): Promise<never> => {
    progress.state = 'failed';
    progress.error = describe(err);
    upsertSearchAttributes([{ key: SA.GenerationState, value: 'failed' }]);
    setCurrentDetails(`Failed: ${progress.error}`);
    throw err;
  };

  const { settings: _settings, ...rest } = input;
  let begun: BegunContextExecution;
  try {
    begun = await db.beginContextExecution({
      ...rest,
      workflowId: info.workflowId,
      runId: info.runId,
    });
  } catch (err) {
    return fail(err);
  }
  progress.executionId = begun.executionId;
  progress.state = 'generating';
  upsertSearchAttributes([{ key: SA.GenerationState, value: 'generating' }]);
  setCurrentDetails(
    `Execution #${begun.executionId}: asking ${FRAMEWORK_LABELS[input.framework]} about ${begun.originalFilename}`,
  );

  let answer: ContextAnswer;
  try {
    answer = await llm.runContextPrompt({
      ...correlation,
      fileIds: input.fileIds,
      systemPrompt: input.systemPrompt,
      userPrompt: input.userPrompt,
      framework: input.framework,
    });
  } catch (err) {
    // Recorded even when the run is being cancelled, so the row never stays `processing`.
    await CancellationScope.nonCancellable(() =>
      db.failContextExecution({
        workflowId: info.workflowId,
        errorMessage: describe(err),
        totalExecutionTimeMs: totalMs(begun.fileProcessingTimeMs),
      }),
    );
    return fail(err);
  }

  progress.state = 'persisting';
  upsertSearchAttributes([
    { key: SA.GenerationState, value: 'persisting' },
    { key: SA.CostUsd, value: Number(answer.costUsd) },
    { key: SA.TotalTokens, value: answer.totalTokens },
    { key: SA.LlmModel, value: answer.model },
    { key: SA.LlmProvider, value: answer.provider },
  ]);
  await db.completeContextExecution({
    workflowId: info.workflowId,
    answer,
    totalExecutionTimeMs: totalMs(begun.fileProcessingTimeMs),
  });

  progress.state = 'completed';
  upsertSearchAttributes([{ key: SA.GenerationState, value: 'completed' }]);
  setCurrentDetails(
    `Execution #${begun.executionId}: ${answer.totalTokens} tokens, $${answer.costUsd}`,
  );
  return {
    executionId: begun.executionId,
    workflowId: info.workflowId,
    runId: info.runId,
    status: 'completed',
    framework: input.framework,
    totalTokens: answer.totalTokens,
    costUsd: answer.costUsd,
  };
}

function describe(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}
