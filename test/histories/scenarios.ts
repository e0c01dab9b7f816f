import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { runSettingsOf } from '../../api/core/workflow-starter';
import type { Framework } from '../../common/frameworks';
import { sendMessageUpdate } from '../../workflows/chat.definitions';
import { chatWorkflow } from '../../workflows/chat.workflow';
import { http, type TestPlatform } from '../support/platform';
import { pause, waitFor } from '../support/wait';

/**
 * The runs whose histories test/fixtures/histories holds: each scenario drives the real platform
 * (HTTP API, worker, simulator, dev server) and names the executions to save. Kept small (a few
 * items per batch, short continue-as-new periods) so the fixtures commit well and replay fast.
 *
 * This file is also copied into worktrees of older commits to record pre-patch histories
 * (docs/OPERATORS.md), so it uses only routes and helpers those commits already had.
 */
export interface Execution {
  workflowId: string;
  /** Every run of the workflow ID, oldest first (`<name>.run<k>.json`); otherwise the latest. */
  allRuns?: boolean;
  /** What this execution is, when the scenario's description is not it (a batch's child). */
  what?: string;
}

export interface Scenario {
  name: string;
  what: string;
  run(p: TestPlatform): Promise<Record<string, Execution>>;
}

const post = (p: TestPlatform, path: string, body?: unknown) => http(p.baseUrl, 'POST', path, body);

async function expectStatus<T extends { status: number; body: unknown }>(
  what: string,
  r: Promise<T>,
  status: number,
): Promise<T> {
  const res = await r;
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** Waits for a workflow to close; a failure or cancellation is an expected outcome here. */
async function settled(client: Client, workflowId: string): Promise<void> {
  await client.workflow
    .getHandle(workflowId)
    .result()
    .catch(() => undefined);
}

async function story(
  p: TestPlatform,
  framework: string,
  names: [string, string] = ['Ada', 'Grace'],
): Promise<string> {
  const res = await expectStatus(
    `start a ${framework} story`,
    post(p, '/api/stories', {
      primaryCharacter: names[0],
      secondaryCharacter: names[1],
      framework,
    }),
    202,
  );
  const id = res.body.workflowId as string;
  await settled(p.temporal.client, id);
  return id;
}

async function startBatch(p: TestPlatform, body: Record<string, unknown>): Promise<string> {
  const res = await expectStatus('start a batch', post(p, '/api/batches', body), 202);
  return res.body.batchId as string;
}

const batchOf = async (p: TestPlatform, id: string) =>
  (await http(p.baseUrl, 'GET', `/api/batches/${id}`)).body;

async function batchClosed(p: TestPlatform, id: string) {
  return waitFor(
    'the batch to close',
    () => batchOf(p, id),
    (b) => b.status !== 'RUNNING',
    { timeoutMs: 180_000, everyMs: 200 },
  );
}

// `count` items per framework, named from these lists.
const NAMES = { primaryNames: ['Ann', 'Ben', 'Cy'], secondaryNames: ['Dee', 'Eve'] };

async function chatTurn(
  p: TestPlatform,
  framework: string,
  message: string,
  conversationId?: number,
) {
  return http(p.baseUrl, 'POST', `/api/chat/${framework}`, {
    message,
    ...(conversationId ? { conversation_id: conversationId } : {}),
  });
}

export const SCENARIOS: Scenario[] = [
  ...(['semantic-kernel', 'langchain', 'langgraph'] as const).map((framework): Scenario => ({
    name: `story-${framework}`,
    what: `a story with ${framework}, completed`,
    run: async (p) => ({ [`story-${framework}`]: { workflowId: await story(p, framework) } }),
  })),
  {
    name: 'story-failed',
    what: 'a story whose provider answers 400: fails at once (and closes its pending attempts where patched)',
    run: async (p) => {
      p.sim.setFaults({ rules: [{ fault: '400', times: 1 }] });
      return {
        'story-failed': { workflowId: await story(p, 'langchain', ['Grinch', 'Cindy Lou']) },
      };
    },
  },
  {
    name: 'chat',
    what: 'a conversation: four turns over all three frameworks and a failed turn (still running: chats idle for an hour)',
    run: async (p) => {
      const first = await expectStatus(
        'first chat turn',
        chatTurn(p, 'semantic-kernel', 'Tell me about durable execution.'),
        200,
      );
      const id = first.body.conversation.id as number;
      await expectStatus(
        'langchain turn',
        chatTurn(p, 'langchain', 'What does {name} mean?', id),
        200,
      );
      await expectStatus(
        'langgraph turn',
        chatTurn(p, 'langgraph', 'Summarise our chat so far.', id),
        200,
      );
      p.sim.setFaults({ rules: [{ fault: '400', times: 1 }] });
      await expectStatus('failed turn', chatTurn(p, 'semantic-kernel', 'This one fails.', id), 502);
      await expectStatus('turn after the failure', chatTurn(p, 'langchain', 'Try again.', id), 200);
      return { chat: { workflowId: first.body.conversation.workflow_id as string } };
    },
  },
  {
    name: 'chat-continue-as-new',
    what: 'a conversation run with two turns per run and a 1 s idle timeout: continue-as-new, then idle close',
    run: async (p) => {
      // The API always uses the default period and timeout: this run is started with the client
      // (the same input the API builds) so both transitions happen within the recording.
      const first = await expectStatus(
        'first chat turn',
        chatTurn(p, 'langchain', 'Hello there.'),
        200,
      );
      const conversationId = first.body.conversation.id as number;
      await p.temporal.client.workflow
        .getHandle(first.body.conversation.workflow_id as string)
        .terminate('recorder: replaced by a short-lived run');
      const workflowId = `chat-${conversationId}-rec${randomUUID().slice(0, 8)}`;
      const correlationId = randomUUID();
      const handle = await p.temporal.client.workflow.start(chatWorkflow, {
        workflowId,
        taskQueue: p.config.env.TEMPORAL_TASK_QUEUE,
        args: [
          {
            conversationId,
            correlationId,
            origin: 'api',
            settings: runSettingsOf(p.config),
            idleTimeoutMs: 1_000,
            maxTurnsPerRun: 2,
          },
        ],
      });
      const turn = (message: string, framework: Framework) =>
        handle.executeUpdate(sendMessageUpdate, {
          args: [
            {
              message,
              framework,
              correlationId,
              requestId: randomUUID(),
              origin: 'api',
              newConversation: false,
            },
          ],
        });
      await turn('Second message.', 'semantic_kernel');
      await turn('Third message.', 'langgraph');
      // The run continues as new once its handlers finish; the next turn goes to the new run.
      await waitFor(
        'the continue-as-new',
        () => handle.describe(),
        (d) => d.runId !== handle.firstExecutionRunId,
      );
      await turn('Fourth message.', 'langchain');
      await settled(p.temporal.client, workflowId);
      return { 'chat-continue-as-new': { workflowId, allRuns: true } };
    },
  },
  {
    name: 'context',
    what: 'a context prompt over an uploaded file, completed; and one whose provider answers 400',
    run: async (p) => {
      const form = new FormData();
      form.append('file', new Blob(['The launch is on Friday.\n']), 'notes.txt');
      const up = (await (
        await fetch(`${p.baseUrl}/api/context/upload`, { method: 'POST', body: form })
      ).json()) as { file_id: string };
      const body = {
        file_ids: [up.file_id],
        system_prompt: 'Files: [context]',
        user_prompt: 'When is the launch?',
        method: 'langchain',
      };
      const ok = await expectStatus(
        'context prompt',
        post(p, '/api/context/execute?wait=false', body),
        202,
      );
      await settled(p.temporal.client, ok.body.workflow_id as string);
      p.sim.setFaults({ rules: [{ fault: '400', times: 1 }] });
      const bad = await expectStatus(
        'failing context prompt',
        post(p, '/api/context/execute?wait=false', body),
        202,
      );
      await settled(p.temporal.client, bad.body.workflow_id as string);
      return {
        context: { workflowId: ok.body.workflow_id as string },
        'context-failed': { workflowId: bad.body.workflow_id as string },
      };
    },
  },
  {
    name: 'batch-pause-resume',
    what: 'a 6-item batch in a window of 2: paused, drained, resumed, window raised to 3, completed',
    run: async (p) => {
      p.sim.setLatency(150, 0);
      const id = await startBatch(p, {
        itemMode: 'workflow', // these scenarios record the child-run shape
        generate: { count: 6, ...NAMES },
        frameworks: ['langchain'],
        concurrency: 2,
      });
      await waitFor(
        'two items',
        () => batchOf(p, id),
        (b) => b.progress.completed >= 2,
      );
      await expectStatus('pause', post(p, `/api/batches/${id}/pause`), 200);
      await waitFor(
        'running items to drain',
        () => batchOf(p, id),
        (b) => b.progress.running === 0 && b.progress.state === 'paused',
      );
      await pause(500);
      await expectStatus('resume', post(p, `/api/batches/${id}/resume`), 200);
      await post(p, `/api/batches/${id}/concurrency`, { concurrency: 3 });
      await batchClosed(p, id);
      return {
        'batch-pause-resume': { workflowId: id },
        'story-batch-item': {
          workflowId: `${id}/item-0`,
          what: 'a batch item: a child story, its result without the text',
        },
      };
    },
  },
  {
    name: 'batch-continue-as-new',
    what: 'a 6-item batch with continueAsNewAfter 2 (three runs, each saved)',
    run: async (p) => {
      const id = await startBatch(p, {
        itemMode: 'workflow', // these scenarios record the child-run shape
        generate: { count: 3, ...NAMES },
        frameworks: ['semantic-kernel', 'langchain'],
        concurrency: 2,
        continueAsNewAfter: 2,
      });
      await batchClosed(p, id);
      return { 'batch-continue-as-new': { workflowId: id, allRuns: true } };
    },
  },
  {
    name: 'batch-cancel',
    what: 'an 8-item batch cancelled after its first item: running children cancelled, report written',
    run: async (p) => {
      p.sim.setLatency(400, 0);
      const id = await startBatch(p, {
        itemMode: 'workflow', // these scenarios record the child-run shape
        generate: { count: 8, ...NAMES },
        frameworks: ['semantic-kernel'],
        concurrency: 2,
      });
      await waitFor(
        'a completed item',
        () => batchOf(p, id),
        (x) => x.progress.completed >= 1,
      );
      await expectStatus('cancel', post(p, `/api/batches/${id}/cancel`), 202);
      await batchClosed(p, id);
      // A child that was running when the batch was cancelled: a cancelled story.
      const runs = await http(
        p.baseUrl,
        'GET',
        `/api/runs?batchId=${id}&type=story&status=Canceled&pageSize=10`,
      );
      const cancelled = (runs.body.runs as Array<{ workflowId: string }> | undefined)?.[0]
        ?.workflowId;
      return {
        'batch-cancel': { workflowId: id },
        ...(cancelled
          ? {
              'story-cancelled': {
                workflowId: cancelled,
                what: 'a batch item cancelled with its batch mid-call',
              },
            }
          : {}),
      };
    },
  },
  {
    name: 'batch-retry-failed',
    what: 'a 4-item batch with 2 failed items, retried after it closed (a reopened run) and while running (the Update)',
    run: async (p) => {
      p.sim.setFaults({ rules: [{ fault: '400', times: 2 }] });
      const closedId = await startBatch(p, {
        itemMode: 'workflow', // these scenarios record the child-run shape
        generate: { count: 2, primaryNames: ['Ann', 'Ben'], secondaryNames: ['Dee'] },
        frameworks: ['langchain', 'semantic-kernel'],
        concurrency: 1,
      });
      await batchClosed(p, closedId);
      await expectStatus(
        'retry-failed (closed batch)',
        post(p, `/api/batches/${closedId}/retry-failed`),
        202,
      );
      await waitFor(
        'the reopened run',
        () => batchOf(p, closedId),
        (b) => b.status === 'COMPLETED' && b.report?.failed === 0,
      );

      p.sim.reset();
      p.sim.setLatency(300, 0);
      p.sim.setFaults({ rules: [{ fault: '400', times: 1 }] });
      const runningId = await startBatch(p, {
        itemMode: 'workflow', // these scenarios record the child-run shape
        generate: { count: 2, primaryNames: ['Ann', 'Ben'], secondaryNames: ['Dee'] },
        frameworks: ['langchain', 'semantic-kernel'],
        concurrency: 1,
      });
      await waitFor(
        'a failed item',
        () => batchOf(p, runningId),
        (b) => b.progress.failed === 1,
      );
      await expectStatus(
        'retry-failed (running batch)',
        post(p, `/api/batches/${runningId}/retry-failed`),
        202,
      );
      await batchClosed(p, runningId);
      return {
        'batch-retry-failed-reopened': { workflowId: closedId, allRuns: true },
        'batch-retry-failed-running': { workflowId: runningId },
      };
    },
  },
  {
    name: 'batch-items-as-activities',
    what: 'a 6-item batch of item activities (continueAsNewAfter 3): one item fails (400), the closed batch is reopened by retry-failed',
    run: async (p) => {
      p.sim.setFaults({ rules: [{ fault: '400', times: 1 }] });
      const id = await startBatch(p, {
        itemMode: 'activity',
        generate: { count: 3, ...NAMES },
        frameworks: ['semantic-kernel', 'langgraph'],
        concurrency: 2,
        continueAsNewAfter: 3,
      });
      await batchClosed(p, id);
      await expectStatus('retry-failed', post(p, `/api/batches/${id}/retry-failed`), 202);
      await waitFor(
        'the reopened run',
        () => batchOf(p, id),
        (b) => b.status === 'COMPLETED' && b.report?.failed === 0,
      );
      return { 'batch-items-as-activities': { workflowId: id, allRuns: true } };
    },
  },
  {
    name: 'batch-budget',
    what: 'a budgeted 8-item batch (continueAsNewAfter 2) that stops on its budget after a few items',
    run: async (p) => {
      const body = {
        itemMode: 'workflow',
        generate: { count: 4, primaryNames: ['Ann', 'Ben'], secondaryNames: ['Dee', 'Eve'] },
        frameworks: ['semantic-kernel', 'langchain'],
        concurrency: 2,
        continueAsNewAfter: 2,
      };
      // With reservations (and the dry run that came with them) an item starts only when its worst
      // case fits: a budget of 1.8 worst cases (a simulator story costs about a quarter of one)
      // runs items one at a time until the spend leaves
      // less than one. Older code (no dry run) stops once the spend reaches the budget.
      const dry = await post(p, '/api/batches', { ...body, dryRun: true });
      const worst =
        dry.status === 200
          ? Math.max(
              ...(dry.body.perFramework as { worstCasePerItemUsd: string }[]).map((f) =>
                Number(f.worstCasePerItemUsd),
              ),
            )
          : undefined;
      const id = await startBatch(p, {
        ...body,
        budgetUsd: worst ? (worst * 1.8).toFixed(6) : '0.001',
      });
      await batchClosed(p, id);
      return { 'batch-budget': { workflowId: id, allRuns: true } };
    },
  },
  {
    name: 'batch-schedule',
    what: 'a batch started by a Temporal Schedule (triggered once), completed',
    run: async (p) => {
      const scheduleId = `rec-${randomUUID().slice(0, 8)}`;
      const batch = {
        items: [{ primaryCharacter: 'Ann', secondaryCharacter: 'Ben' }],
        frameworks: ['langchain'],
        label: 'nightly',
        itemMode: 'workflow',
      };
      await expectStatus(
        'create schedule',
        post(p, '/api/schedules', { scheduleId, every: '1h', batch, paused: true }),
        201,
      );
      await expectStatus('trigger', post(p, `/api/schedules/${scheduleId}/trigger`), 202);
      const s = await waitFor(
        'the triggered batch',
        async () => (await http(p.baseUrl, 'GET', `/api/schedules/${scheduleId}`)).body,
        (x) => x.recentBatches?.length === 1,
      );
      const id = s.recentBatches[0].batchId as string;
      await settled(p.temporal.client, id);
      await http(p.baseUrl, 'DELETE', `/api/schedules/${scheduleId}`);
      return { 'batch-schedule': { workflowId: id } };
    },
  },
];
