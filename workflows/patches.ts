/**
 * Every patch in the workflow code, and the histories that prove both of its sides replay.
 * workflows/upgrade-policy.spec.ts fails when a patched()/deprecatePatch() call has no entry
 * here, when the call and the entry disagree on the state, or when the histories are missing.
 * The procedure (add, deprecate, remove) is in docs/OPERATORS.md, "Deploying a new version
 * while batches run". Not imported by workflows/index.ts: nothing here is bundled.
 */
export interface PatchRecord {
  id: string;
  workflowType: 'storyWorkflow' | 'chatWorkflow' | 'contextWorkflow' | 'batchWorkflow';
  /** The commit that introduced the patched() call. */
  addedIn: string;
  /**
   * `patched`: the code calls patched(id); runs from before it may still be open.
   * `deprecated`: the code calls deprecatePatch(id); every run from before the patch has closed.
   */
  state: 'patched' | 'deprecated';
  /**
   * Fixtures in test/fixtures/histories recorded by the code before the patch (`--tag pre-<commit>`)
   * that pass through the patched spot without the marker. Required while `patched`; retired
   * (deleted) when the patch is deprecated, since the new code no longer replays them.
   */
  historiesBefore: string[];
}

export const PATCHES: readonly PatchRecord[] = [
  {
    id: 'close-lost-attempts-of-failed-story',
    workflowType: 'storyWorkflow',
    addedIn: 'f8d5885',
    state: 'patched',
    historiesBefore: ['story-failed.pre-f8d5885.json'],
  },
  {
    id: 'mark-lost-attempts-of-failed-turn',
    workflowType: 'chatWorkflow',
    addedIn: 'e8ac942',
    state: 'patched',
    historiesBefore: ['chat.pre-f8d5885.json'],
  },
  {
    id: 'budget-reservations',
    workflowType: 'batchWorkflow',
    addedIn: '43743cb',
    state: 'patched',
    historiesBefore: [
      'batch-budget.pre-43743cb.run1.json',
      'batch-budget.pre-43743cb.run2.json',
      'batch-budget.pre-43743cb.run3.json',
    ],
  },
];
