/**
 * What a framework is outside its implementation (see common/frameworks.ts). No imports: the
 * frameworks' info.ts files use it, and workflow code loads them.
 */

/** One LLM call a story can make: the step its audit row names and its prompt templates. */
export interface StoryCall {
  step: string;
  /** Prompt template names under the prompts folder (activities/prompts). */
  system: string;
  user: string;
}

/** Pure data (no imports but types): workflow code reads it, so it must stay deterministic. */
export interface FrameworkInfo {
  /** The URL spelling; the catalog key is the stored one. */
  slug: string;
  label: string;
  /** MCP `list_frameworks`. */
  description: string;
  features: readonly string[];
  story: {
    /**
     * The activity type storyWorkflow schedules, one per framework so the Temporal UI names it.
     * Recorded histories replay against it: never rename one.
     */
    activity: string;
    /**
     * `single`: one call per attempt. `graph`: several calls in one activity that heartbeats after
     * every node, so a retry resumes from the last one (its timeouts grow with `calls().length`).
     */
    shape: 'single' | 'graph';
    /** Every call a story can make, in order, at most; `maxRevisions` bounds a looping framework. */
    calls(maxRevisions?: number): StoryCall[];
  };
  chat: {
    /** The activity type of a chat turn (replayed like the story's: never rename). */
    activity: string;
    /** Prompt template of its persona. */
    systemPrompt: string;
  };
}

/** Keeps the literal activity names, so `Activities` has them as keys. */
export function defineFramework<const T extends FrameworkInfo>(info: T): T {
  return info;
}
