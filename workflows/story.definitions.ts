import { defineQuery } from '@temporalio/workflow';
import type { Framework } from '../common/frameworks';
import type {
  GenerateStoryInput,
  GenerationResult,
  PersistedStory,
  RunIds,
  RunSettings,
} from '../common/workflow-types';

// Contract of storyWorkflow with its callers (API, MCP, batchWorkflow): input, result, messages.
// Activity inputs and outputs are in common/workflow-types.ts; the types below derive from them.

export interface StoryWorkflowInput extends GenerateStoryInput {
  settings: RunSettings;
  /**
   * Batch items: the result leaves the story text out (StoryResultWithoutText). Its row holds
   * it (storyId), and a batch's history then holds ids and costs instead of every story.
   */
  resultWithoutText?: boolean;
}

/** The story, where it is stored, and what its generation took. */
export interface StoryResult
  extends
    RunIds,
    PersistedStory,
    Pick<StoryWorkflowInput, 'primaryCharacter' | 'secondaryCharacter' | 'requestId'>,
    Omit<GenerationResult, 'text' | 'steps'> {
  story: string;
  /** The correlation ID under the original's name. */
  transactionGuid: string;
}

/** A batch item's result: the text is in the story's row (storyId), not repeated here. */
export type StoryResultWithoutText = Omit<StoryResult, 'story'> & { storyInDatabase: true };

/**
 * The one place a story result is made (its fields and their order are what callers and
 * recorded histories see).
 */
export function storyResult(
  input: StoryWorkflowInput,
  run: RunIds,
  generation: GenerationResult,
  saved: PersistedStory,
): StoryResult | StoryResultWithoutText {
  const text = input.resultWithoutText
    ? { storyInDatabase: true as const }
    : { story: generation.text };
  return {
    storyId: saved.storyId,
    workflowId: run.workflowId,
    runId: run.runId,
    ...text,
    primaryCharacter: input.primaryCharacter,
    secondaryCharacter: input.secondaryCharacter,
    framework: input.framework,
    provider: generation.provider,
    model: generation.model,
    inputTokens: generation.inputTokens,
    outputTokens: generation.outputTokens,
    totalTokens: generation.totalTokens,
    costUsd: generation.costUsd,
    inputCostPer1k: generation.inputCostPer1k,
    outputCostPer1k: generation.outputCostPer1k,
    generationTimeMs: generation.generationTimeMs,
    llmCalls: generation.llmCalls,
    createdAt: saved.createdAt,
    transactionGuid: input.correlationId,
    requestId: input.requestId,
  };
}

export type GenerationState = 'queued' | 'generating' | 'persisting' | 'completed' | 'failed';

/** What the story workflow reports while running. */
export interface StoryProgress {
  state: GenerationState;
  framework: Framework;
  storyId?: number;
  error?: string;
}

export const storyProgressQuery = defineQuery<StoryProgress>('progress');
