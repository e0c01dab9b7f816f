import { pausedWhileUnavailable } from '../prisma/unavailable-pause';
import { batchBudget } from './batch/batch-budget';
import { batchItems } from './batch/batch-item';
import { batchRecords } from './batch/batch-records';
import { failingForGoodOnDataErrors } from './data-errors';
import { chatGenerators } from './chat/generate-reply';
import { chatPersistence } from './chat/persist-turn';
import { contextExecutionStore } from './context/execution-store';
import { contextPromptRunner } from './context/run-prompt';
import { attemptRecords } from './llm/attempt-records';
import type { ActivityDeps } from './deps';
import { FRAMEWORK_REGISTRY, type FrameworkRegistry } from './frameworks/registry';
import { storyGenerators } from './story/generate-story';
import { storyPersistence } from './story/persist-story';

/**
 * Builds every activity from its dependencies. The worker registers the result; tests can
 * call the functions directly with real or test dependencies.
 *
 * The activities that only use the database fail at once for a few seconds after it refused
 * one as unavailable (prisma/unavailable-pause.ts): an SQLite write that waits for a lock
 * blocks the whole worker. LLM activities pause only their audit writes (llm/audit.ts).
 *
 * They also fail for good on an error that says the data is wrong (data-errors.ts): they are
 * retried without limit, and such an error would come back on every attempt.
 *
 * `frameworks`: the ones this worker runs; a test passes production's plus a fixture.
 */
export function createActivities(
  deps: ActivityDeps,
  frameworks: FrameworkRegistry = FRAMEWORK_REGISTRY,
) {
  return {
    ...storyGenerators(deps, frameworks),
    ...chatGenerators(deps, frameworks),
    ...contextPromptRunner(deps, frameworks),
    // Generation and storage in one (it waits out the database itself): not paused like the rest.
    ...batchItems(deps, frameworks),
    ...pausedWhileUnavailable(
      deps.prisma,
      failingForGoodOnDataErrors({
        ...storyPersistence(deps),
        ...chatPersistence(deps),
        ...contextExecutionStore(deps),
        ...batchRecords(deps),
        ...batchBudget(deps),
        ...attemptRecords(deps),
      }),
    ),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps, FrameworkRegistry };
