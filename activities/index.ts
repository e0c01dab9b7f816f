import { batchRecords } from './batch/batch-records';
import { chatGenerators } from './chat/generate-reply';
import { chatPersistence } from './chat/persist-turn';
import { contextActivities } from './context';
import type { ActivityDeps } from './deps';
import { storyGenerators } from './story/generate-story';
import { storyPersistence } from './story/persist-story';

/**
 * Builds every activity from its dependencies. The worker registers the result; tests can
 * call the functions directly with real or test dependencies.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...storyGenerators(deps),
    ...storyPersistence(deps),
    ...chatGenerators(deps),
    ...chatPersistence(deps),
    ...contextActivities(deps),
    ...batchRecords(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
