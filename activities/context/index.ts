import type { ActivityDeps } from '../deps';
import { contextExecutionStore } from './execution-store';
import { contextPromptRunner } from './run-prompt';

/** Activities of contextWorkflow. */
export function contextActivities(deps: ActivityDeps) {
  return {
    ...contextExecutionStore(deps),
    ...contextPromptRunner(deps),
  };
}
