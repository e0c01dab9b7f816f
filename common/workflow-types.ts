import type { RetrySettings } from './config';
import type { Framework } from './frameworks';
import type { Usd } from './money';
import type { Origin } from './origins';

/**
 * Inputs and outputs of workflows and activities: the contract between api/mcp (which start
 * workflows), workflows/ and activities/. Types only, so workflow code can import it.
 */

/** Run-wide settings resolved from config when a workflow starts (workflows can't read env). */
export interface RunSettings {
  retry: RetrySettings;
  /** start-to-close timeout of one LLM activity attempt */
  llmTimeoutMs: number;
  /**
   * Store the story with a local activity (in the workflow task that received the generation:
   * one round trip to the server fewer) instead of an activity task. Fixed at start, so runs
   * begun with either setting replay deterministically; absent = an activity task.
   * STORY_PERSIST_LOCAL_ACTIVITY; see BENCHMARKS.md.
   */
  persistAsLocalActivity?: boolean;
  /**
   * Room in one LLM activity attempt for waiting (pacing, 429s) and for the calls on fallback
   * providers; such activities heartbeat. Fixed at start, so a run replays with the timeouts it
   * began with; absent (runs from before) = one call's time, no heartbeat.
   */
  providerWaitMs?: number;
}

export interface Correlation {
  /** The transaction GUID of the request that started the run. */
  correlationId: string;
  requestId?: string;
  origin: Origin;
  batchId?: string;
}

export interface StoryWorkflowInput extends Correlation {
  framework: Framework;
  primaryCharacter: string;
  secondaryCharacter: string;
  settings: RunSettings;
  /**
   * Batch items: the result leaves the story text out (StoryResultWithoutText). Its row holds
   * it (storyId), and a batch's history then holds ids and costs instead of every story.
   */
  resultWithoutText?: boolean;
}

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: Usd;
  inputCostPer1k: Usd;
  outputCostPer1k: Usd;
}

export interface GenerationStepRecord extends UsageTotals {
  step: string;
  latencyMs: number;
  /** Provider and model that answered (fallback providers); absent in records from before them. */
  provider?: string;
  model?: string;
  /**
   * The audit row of this (successful, paid) call when it could not be written as the call
   * ended, e.g. during a database outage: the persisting activity, which retries without
   * limit, writes it (idempotently, by its attempt key) instead of it being lost.
   */
  deferredAudit?: DeferredAuditRow;
}

/** One `llm_call_attempts` row as plain JSON (see activities/llm/audit.ts). */
export interface DeferredAuditRow {
  attemptKey: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  activityId: string;
  activityType: string;
  attempt: number;
  callIndex: number;
  step: string;
  framework: string;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: string;
  latencyMs: number;
  outcome: string;
  httpStatus: number | null;
  errorType: string | null;
  errorMessage: string | null;
  transactionGuid: string;
  origin: string;
  batchId: string | null;
  /** When the call ended (ISO), not when the row was finally written. */
  createdAt: string;
}

export interface GenerateStoryInput extends Correlation {
  framework: Framework;
  primaryCharacter: string;
  secondaryCharacter: string;
}

export interface GenerationResult extends UsageTotals {
  text: string;
  framework: Framework;
  provider: string;
  model: string;
  generationTimeMs: number;
  llmCalls: number;
  steps: GenerationStepRecord[];
}

export interface PersistStoryInput extends Correlation {
  workflowId: string;
  runId: string;
  primaryCharacter: string;
  secondaryCharacter: string;
  generation: GenerationResult;
}

export interface PersistedStory {
  storyId: number;
  createdAt: string;
}

export interface StoryResult extends UsageTotals {
  storyId: number;
  workflowId: string;
  runId: string;
  story: string;
  primaryCharacter: string;
  secondaryCharacter: string;
  framework: Framework;
  provider: string;
  model: string;
  generationTimeMs: number;
  llmCalls: number;
  createdAt: string;
  transactionGuid: string;
  requestId?: string;
}

/** A batch item's result: the text is in the story's row (storyId), not repeated here. */
export type StoryResultWithoutText = Omit<StoryResult, 'story'> & { storyInDatabase: true };

/** What the story workflow reports while running (query `progress`). */
export interface StoryProgress {
  state: GenerationState;
  framework: Framework;
  storyId?: number;
  error?: string;
}

export type GenerationState = 'queued' | 'generating' | 'persisting' | 'completed' | 'failed';
