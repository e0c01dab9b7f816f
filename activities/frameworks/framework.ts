import type { FrameworkInfo } from '../../common/framework-info';
import type { GenerateStoryInput, GenerationStepRecord } from '../../common/workflow-types';
import type { LlmCallResult, ProviderCall, RawLlmOutput } from '../llm/llm-call';
import type { ProviderRoute } from '../llm/provider-router';

/**
 * What a framework implements: a story, a chat answer and a context answer, each through its own
 * library. The activities around these calls (bounds, history, audit rows, persistence) are the
 * same for every framework and live in activities/story, chat and context.
 */
export interface FrameworkImpl<Info extends FrameworkInfo = FrameworkInfo> {
  info: Info;
  /** Makes the story's calls through `run.call`, which audits and prices each one. */
  story(run: StoryRun): Promise<StoryOutput>;
  /** One answer to `messages` (history, then the new message) under the `system` persona. */
  chat(turn: ChatTurn): Promise<RawLlmOutput>;
  /**
   * The one context call, `[system, user]`. The prompts are finished message text, never
   * templates: the user's prompt and the files' text may contain braces a template engine would fill.
   */
  context(call: ContextCall): Promise<RawLlmOutput>;
}

/** Earlier turns, oldest first, the new user message last (Semantic Kernel's ChatHistory). */
export type ChatHistory = { role: 'user' | 'assistant'; content: string }[];

export interface StoryRun {
  input: GenerateStoryInput;
  /** `primary_character` and `secondary_character`, for the prompt templates. */
  vars: Record<string, string>;
  /** A prompt template's text (read on every call, so an edit takes effect at once). */
  prompt(name: string): string;
  /** One audited LLM call, `step` and `callIndex` as its audit row records them. */
  call(step: string, callIndex: number, fn: ProviderCall): Promise<LlmCallResult>;
  /** What the last attempt saved with `checkpoint` (its last heartbeat), if it saved anything. */
  resumeFrom<T>(): T | undefined;
  /** Saves where a retry may resume (a heartbeat: keep it small). */
  checkpoint(state: unknown): void;
  signal?: AbortSignal;
}

export interface StoryOutput {
  text: string;
  /** One record per call made (by this attempt or, when resumed, an earlier one). */
  steps: GenerationStepRecord[];
}

export interface ChatTurn {
  route: ProviderRoute;
  system: string;
  messages: ChatHistory;
  signal?: AbortSignal;
}

export interface ContextCall {
  route: ProviderRoute;
  system: string;
  user: string;
  signal?: AbortSignal;
}
