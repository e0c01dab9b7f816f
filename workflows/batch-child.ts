import {
  ApplicationFailure,
  type ChildWorkflowOptions,
  ParentClosePolicy,
  TemporalFailure,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { itemAt, itemWorkflowId } from '../common/batch-items';
import { FRAMEWORK_LABELS } from '../common/frameworks';
import { SEARCH_ATTRIBUTE_KEYS as SA } from '../temporal/search-attributes';
import type { GenerateStoryInput } from '../common/workflow-types';
import type { BatchWorkflowInput } from './batch.definitions';
import type { StoryWorkflowInput } from './story.definitions';

/** The story item n of a batch makes, and the request it belongs to (both item modes). */
export function itemStory(
  input: BatchWorkflowInput,
  batchId: string,
  n: number,
): GenerateStoryInput {
  const item = itemAt(input.spec, n);
  return {
    framework: item.framework,
    primaryCharacter: item.primaryCharacter,
    secondaryCharacter: item.secondaryCharacter,
    correlationId: input.correlationId,
    requestId: input.requestId,
    origin: 'batch',
    batchId,
  };
}

/** How item n of a batch is started: its story input and its child workflow options. */
export function itemChild(
  input: BatchWorkflowInput,
  batchId: string,
  n: number,
): Omit<ChildWorkflowOptions, 'typeInfo'> & { args: [StoryWorkflowInput] } {
  const item = itemAt(input.spec, n);
  return {
    workflowId: itemWorkflowId(batchId, n),
    args: [{ ...itemStory(input, batchId, n), settings: input.settings, resultWithoutText: true }],
    // A failed item may run again (retry-failed); a completed one never.
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    // Only reached if the batch is terminated: runs drain before continue-as-new and the end.
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    staticSummary: `${FRAMEWORK_LABELS[item.framework]} story, item ${n} of ${batchId}`,
    typedSearchAttributes: [
      { key: SA.WorkflowKind, value: 'story' },
      { key: SA.Framework, value: item.framework },
      { key: SA.Origin, value: 'batch' },
      { key: SA.BatchId, value: batchId },
      { key: SA.CorrelationId, value: input.correlationId },
      // Not `queued`: the child's first task would upsert `generating` a few ms later, a history
      // event and a visibility write per item (storyWorkflow skips it when the start says so).
      { key: SA.GenerationState, value: 'generating' },
      { key: SA.LlmProvider, value: input.llm.provider },
      { key: SA.LlmModel, value: input.llm.model },
    ],
  };
}

/** The innermost failure of a child: `ProviderBadRequest: ...`. */
export function describeFailure(err: unknown): string {
  let e: unknown = err;
  while (e instanceof TemporalFailure && e.cause) e = e.cause;
  if (e instanceof ApplicationFailure) return `${e.type ?? 'Error'}: ${e.message}`;
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
