import type { ActivityOptions } from '@temporalio/workflow';
import { itemAt, itemWorkflowId } from '../common/batch-items';
import type { BatchItemInput } from '../common/batch-types';
import { FRAMEWORK_LABELS } from '../common/frameworks';
import { itemOptions } from './activity-options';
import { itemStory } from './batch-child';
import type { BatchWorkflowInput } from './batch.definitions';
import { frameworkInfo } from './frameworks';

/**
 * How item n of a batch is run in `activity` mode: the runBatchItem activity's input and options.
 * `schedule` counts this run's earlier schedules of the item (a retry-failed while it runs):
 * activity IDs stay unique in the run, and so do the audit rows' keys derived from them.
 */
export function itemActivity(
  input: BatchWorkflowInput,
  batchId: string,
  n: number,
  o: { rerun: boolean; schedule: number },
): { options: ActivityOptions; args: BatchItemInput } {
  const item = itemAt(input.spec, n);
  const { story } = frameworkInfo(item.framework);
  return {
    options: {
      ...itemOptions(input.settings, story.shape === 'graph' ? story.calls().length : 1),
      // What the Temporal UI lists among the batch's pending activities, with attempts and last failure.
      activityId: o.schedule ? `item-${n}.${o.schedule}` : `item-${n}`,
      summary: `${FRAMEWORK_LABELS[item.framework]} story, item ${n}`,
    },
    args: {
      ...itemStory(input, batchId, n),
      itemKey: itemWorkflowId(batchId, n),
      index: n,
      ...(o.rerun ? { rerun: true } : {}),
    },
  };
}
