import type { RetrySettings } from './config';
import type { Framework } from './frameworks';
import type { Usd } from './money';
import type { Origin } from './origins';
import type { StoryRequest } from './schemas/story';
import type { LlmCallAttempt } from '../prisma/client';

/**
 * What workflows and activities share: run settings, correlation, usage, and the story
 * activities' inputs and outputs. Each workflow's own contract with its callers (input, result,
 * messages) is in workflows/<name>.definitions.ts, derived from these. Types only, so workflow
 * code can import it.
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

/**
 * One `llm_call_attempts` row as plain JSON, money and time as strings (see
 * activities/llm/audit.ts).
 */
export type DeferredAuditRow = Omit<LlmCallAttempt, 'id' | 'costUsd' | 'createdAt'> & {
  costUsd: string;
  /** When the call ended (ISO), not when the row was finally written. */
  createdAt: string;
};

/** The story asked for (the request's three fields) and the request it came from. */
export type GenerateStoryInput = StoryRequest & Correlation;

export interface GenerationResult extends UsageTotals {
  text: string;
  framework: Framework;
  provider: string;
  model: string;
  generationTimeMs: number;
  llmCalls: number;
  steps: GenerationStepRecord[];
}

/** The run a row or result belongs to. */
export interface RunIds {
  workflowId: string;
  runId: string;
}

/** The framework is the generation's. */
export interface PersistStoryInput extends Omit<GenerateStoryInput, 'framework'>, RunIds {
  generation: GenerationResult;
}

export interface PersistedStory {
  storyId: number;
  createdAt: string;
}
