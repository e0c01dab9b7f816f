/**
 * Issue 16, item 2: a deploy while a batch runs. A 300-item batch starts on a worker of build A
 * (the code as it is); build A stops mid-batch (SIGTERM, as a deploy does) and a worker of
 * build B finishes it. B's batch and story workflows differ from A's in ways that change their
 * commands, each guarded with patched() as docs/OPERATORS.md says. Required: every item once,
 * nothing lost, no workflow task failure in any history, and B's code ran where it should.
 * Real processes: the crash platform's worker child, its own dev server, the simulator, the API.
 */
import type { temporal } from '../temporal/sdk-internals';
import { startCrashPlatform, type CrashPlatform } from './reliability/support/crash-platform';
import { envInt, runScenario } from './reliability/support/scenario';
import { buildWorkflowVariant } from './support/workflow-build';

const PAIRS = envInt('DEPLOY_TEST_PAIRS', 150);
const FRAMEWORKS = ['semantic_kernel', 'langgraph'];
const ITEMS = PAIRS * FRAMEWORKS.length;
const STORY_PATCH = 'deploy-test-b-story';
const BATCH_PATCH = 'deploy-test-b-batch';

/** Build B: what a developer might ship while batches run, guarded by the upgrade policy. */
const BUILD_B = [
  {
    file: 'story.workflow.ts',
    before: "  progress.state = 'persisting';",
    // Operators see the story between its LLM calls and its write: a new command per story.
    insert: `  if (patched('${STORY_PATCH}')) upsertSearchAttributes([{ key: SA.GenerationState, value: 'generated' }]);\n`,
  },
  {
    file: 'batch.workflow.ts',
    before: '  let moves = 0; // items started or finished',
    // Each run checks in before it starts items: a new activity at the start of a run.
    insert: `  if (patched('${BATCH_PATCH}')) await db.checkpointBatch({ batchId, progress: progress() });\n`,
  },
];

jest.setTimeout(420_000);

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
/** The patch ID of a patched() marker event (its details hold `{ id, deprecated }` as JSON). */
const markerOf = (e: HistoryEvent): string | undefined => {
  const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
  return data ? (JSON.parse(Buffer.from(data).toString()) as { id?: string }).id : undefined;
};

describe('deploy mid-batch: build A stops, build B (patched) finishes the batch', () => {
  let p: CrashPlatform;
  let bundleB: string;
  beforeAll(async () => {
    bundleB = await buildWorkflowVariant('deploy-b', BUILD_B);
    p = await startCrashPlatform({ name: 'deploy', env: { OPENAI_TIMEOUT: '5' } });
    await p.startWorker(); // build A: the run's bundle (QUILLFLOW_TEST_WORKFLOW_BUNDLE)
  }, 180_000);
  afterAll(async () => {
    await p?.close();
  });

  it(`${ITEMS} items: every item once, no workflow task failure, B's changes in the histories after the deploy`, async () => {
    const r = await runScenario(p, {
      scenario: 'deploy-mid-batch',
      // Build B patches the story workflow: the children of a `workflow` mode batch meet it.
      itemMode: 'workflow',
      disruptionName: 'deploys',
      items: ITEMS,
      window: 40,
      frameworks: FRAMEWORKS,
      // Runs hand over on both builds: the batch continues-as-new before and after the deploy.
      continueAsNewAfter: 80,
      at: [0.4],
      timeoutMs: 300_000,
      async disrupt() {
        await p.stopWorker();
        await p.startWorker({ QUILLFLOW_TEST_WORKFLOW_BUNDLE: bundleB });
        return { build: 'B' };
      },
    });
    expect(r.report).toMatchObject({
      state: 'completed',
      total: ITEMS,
      completed: ITEMS,
      failed: 0,
    });
    expect(r.stories).toMatchObject({
      stories: ITEMS,
      distinctWorkflowIds: ITEMS,
      lost: 0,
      duplicated: 0,
      unexpected: 0,
    });
    expect(r.executions).toEqual({ total: ITEMS, completed: ITEMS });
    expect(r.audit.ok).toBe(true);

    // Every history, of every batch run and every story: no workflow task failed, and the patch
    // markers say which build made what (A: none; B: its stories and its batch runs).
    const client = p.temporal.client;
    const failures: string[] = [];
    const patchedStories: string[] = [];
    const batchRuns: Array<{ runId: string; marker: boolean }> = [];
    const check = async (workflowId: string, runId: string): Promise<HistoryEvent[]> => {
      const events =
        (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
      for (const e of events)
        if (e.workflowTaskFailedEventAttributes)
          failures.push(
            `${workflowId} (${runId}): ${e.workflowTaskFailedEventAttributes?.failure?.message ?? 'task failed'}`,
          );
      return events;
    };
    for await (const run of client.workflow.list({ query: `WorkflowId = "${r.batchId}"` })) {
      const events = await check(run.workflowId, run.runId);
      batchRuns.push({ runId: run.runId, marker: events.some((e) => markerOf(e) === BATCH_PATCH) });
    }
    for await (const s of client.workflow.list({
      query: `BatchId = "${r.batchId}" AND WorkflowType = "storyWorkflow"`,
    })) {
      const events = await check(s.workflowId, s.runId);
      if (events.some((e) => markerOf(e) === STORY_PATCH)) patchedStories.push(s.workflowId);
    }
    console.log(
      `deploy: items=${ITEMS} batch_runs=${batchRuns.length} runs_with_b_marker=${batchRuns.filter((b) => b.marker).length} ` +
        `stories_by_b=${patchedStories.length} stories_by_a=${ITEMS - patchedStories.length} workflow_task_failures=${failures.length} ` +
        `stop_at_stories=${String(r.disruptions[0]?.atStories)} seconds=${r.seconds.toFixed(1)}`,
    );
    expect(failures).toEqual([]);
    // Both builds made stories; B's batch runs (those started after the deploy) carry its marker.
    expect(patchedStories.length).toBeGreaterThan(0);
    expect(patchedStories.length).toBeLessThan(ITEMS);
    expect(batchRuns.length).toBeGreaterThanOrEqual(3);
    expect(batchRuns.filter((b) => b.marker).length).toBeGreaterThan(0);
    expect(batchRuns.filter((b) => !b.marker).length).toBeGreaterThan(0);
  });
});
