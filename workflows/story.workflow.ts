import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { FRAMEWORK_LABELS } from '../common/frameworks';
import type { GenerationResult } from '../common/workflow-types';
import { SEARCH_ATTRIBUTE_KEYS as SA } from '../temporal/search-attributes';
import {
  graphOptions,
  persistLocalOptions,
  persistOptions,
  singleCallOptions,
} from './activity-options';
import { frameworkInfo } from './frameworks';
import {
  storyProgressQuery,
  storyResult,
  type StoryProgress,
  type StoryResult,
  type StoryResultWithoutText,
  type StoryWorkflowInput,
} from './story.definitions';

/**
 * One story: generate with the chosen framework, then persist it (idempotently, keyed by this
 * workflow's ID). Temporal owns the retries; the search attributes tell operators where it is.
 */
export async function storyWorkflow(
  input: StoryWorkflowInput,
): Promise<StoryResult | StoryResultWithoutText> {
  const info = workflowInfo();
  const progress: StoryProgress = { state: 'generating', framework: input.framework };
  setHandler(storyProgressQuery, () => progress);

  // Chosen at start (input.settings), so a replay always takes the same path.
  const db = input.settings.persistAsLocalActivity
    ? proxyLocalActivities<Activities>(persistLocalOptions)
    : proxyActivities<Activities>(persistOptions);

  // Batch items start as `generating` already (batch-child.ts). Read from the start attributes,
  // so a replay takes the same path; runs started `queued` upsert as they always did.
  if (info.typedSearchAttributes.get(SA.GenerationState) !== 'generating') {
    upsertSearchAttributes([{ key: SA.GenerationState, value: 'generating' }]);
  }
  setCurrentDetails(`Generating with ${FRAMEWORK_LABELS[input.framework]}`);

  const args = {
    framework: input.framework,
    primaryCharacter: input.primaryCharacter,
    secondaryCharacter: input.secondaryCharacter,
    correlationId: input.correlationId,
    requestId: input.requestId,
    origin: input.origin,
    batchId: input.batchId,
  };

  let generation: GenerationResult;
  try {
    // The framework's info names the activity; a graph's timeouts grow with its calls.
    const { story } = frameworkInfo(input.framework);
    const llm = proxyActivities<Activities>(
      story.shape === 'graph'
        ? graphOptions(input.settings, story.calls().length)
        : singleCallOptions(input.settings),
    );
    generation = await llm[story.activity](args);
  } catch (err) {
    progress.state = 'failed';
    progress.error = describe(err);
    upsertSearchAttributes([{ key: SA.GenerationState, value: 'failed' }]);
    setCurrentDetails(`Failed: ${progress.error}`);
    // The run is over, so an audit row still pending belongs to an attempt whose worker died
    // mid-call: mark it lost, as persistStory does for a stored story. Also when cancelled.
    // Patched: failed runs from before this step replay without it.
    if (patched('close-lost-attempts-of-failed-story')) {
      await CancellationScope.nonCancellable(() =>
        db.markLostAttempts({ workflowId: info.workflowId }),
      );
    }
    throw err;
  }

  progress.state = 'persisting';
  upsertSearchAttributes([
    { key: SA.GenerationState, value: 'persisting' },
    { key: SA.CostUsd, value: Number(generation.costUsd) },
    { key: SA.TotalTokens, value: generation.totalTokens },
    { key: SA.LlmModel, value: generation.model },
    { key: SA.LlmProvider, value: generation.provider },
  ]);

  const saved = await db.persistStory({
    workflowId: info.workflowId,
    runId: info.runId,
    primaryCharacter: input.primaryCharacter,
    secondaryCharacter: input.secondaryCharacter,
    correlationId: input.correlationId,
    requestId: input.requestId,
    origin: input.origin,
    batchId: input.batchId,
    generation,
  });

  progress.state = 'completed';
  progress.storyId = saved.storyId;
  upsertSearchAttributes([{ key: SA.GenerationState, value: 'completed' }]);
  setCurrentDetails(
    `Story #${saved.storyId}: ${generation.totalTokens} tokens, $${generation.costUsd}, ${generation.llmCalls} LLM call(s)`,
  );

  return storyResult(input, info, generation, saved);
}

function describe(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}
