import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Worker } from '@temporalio/worker';
import { defaultPromptsDir } from '../activities/prompts';
import { createLogger } from '../common/logger';
import { DEFAULT_PRICING_TABLE } from '../common/pricing';
import { connectWorkerNative } from '../temporal/connection';
import { writeWorkflowBundle } from '../workers/bundle';
import { createQuillflowWorker } from '../workers/worker';
import type { BatchWorkflowInput } from '../workflows/batch.definitions';
import { batchWorkflow } from '../workflows/batch.workflow';
import { storyWorkflow } from '../workflows/story.workflow';
import { startTestPlatform, type TestPlatform } from './support/platform';
import { testTemporalAddress } from './temporal-env';
import { waitFor } from './support/wait';

/**
 * A batch survives its worker going away mid-run: a second worker replays the batch from its
 * history and carries on, and every item still runs exactly once.
 */
// Batches run hundreds of child workflows: on a loaded machine they need more than the default.
jest.setTimeout(300_000);

describe('batch across a worker restart', () => {
  let p: TestPlatform;
  let bundle: string;
  beforeAll(async () => {
    p = await startTestPlatform();
    bundle =
      process.env.QUILLFLOW_TEST_WORKFLOW_BUNDLE ??
      (await writeWorkflowBundle(
        path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qf-bundle-')), 'workflows.js'),
      ));
  });
  afterAll(async () => {
    await p?.close();
  });

  it('a new worker picks the batch up; no item is lost or run twice', async () => {
    const taskQueue = `restart-${randomUUID().slice(0, 8)}`;
    const native = await connectWorkerNative({ address: testTemporalAddress() });
    const logger = createLogger('test', {
      level: 'warn',
      pretty: false,
      filePath: '',
      rotationHours: 1,
      retentionDays: 1,
    });
    const deps = {
      prisma: p.prisma,
      config: p.config,
      logger,
      pricing: DEFAULT_PRICING_TABLE,
      promptsDir: defaultPromptsDir(),
    };
    const startWorker = async (): Promise<{ worker: Worker; done: Promise<void> }> => {
      const worker = await createQuillflowWorker({
        connection: native,
        namespace: 'default',
        taskQueue,
        deps,
        workflowBundlePath: bundle,
      });
      return { worker, done: worker.run() };
    };
    try {
      p.sim.setLatency(100);
      const first = await startWorker();
      const batchId = `batch-${randomUUID()}`;
      const input: BatchWorkflowInput = {
        spec: {
          source: {
            kind: 'generate',
            count: 12,
            primaryNames: ['Ann', 'Ben', 'Cy'],
            secondaryNames: ['Dee', 'Eve'],
          },
          frameworks: ['semantic_kernel', 'langchain'],
          concurrency: 4,
          continueAsNewAfter: 10,
        },
        settings: { retry: p.config.retry, llmTimeoutMs: p.config.provider.timeoutMs },
        llm: { provider: 'simulator', model: 'quillflow-sim-1' },
        correlationId: randomUUID(),
        origin: 'api',
      };
      const handle = await p.temporal.client.workflow.start(batchWorkflow, {
        taskQueue,
        workflowId: batchId,
        args: [input],
      });
      await waitFor(
        'some items done',
        () => p.prisma.story.count({ where: { batchId } }),
        (n) => n >= 5,
        { timeoutMs: 60_000 },
      );

      first.worker.shutdown();
      await first.done;
      const atRestart = await p.prisma.story.count({ where: { batchId } });
      expect(atRestart).toBeLessThan(24);

      const second = await startWorker();
      try {
        const report = await handle.result();
        expect(report).toMatchObject({ state: 'completed', total: 24, completed: 24, failed: 0 });
        expect(report.runs).toBeGreaterThanOrEqual(3);
        const rows = await p.prisma.story.findMany({
          where: { batchId },
          select: { workflowId: true },
        });
        expect(rows).toHaveLength(24);
        expect(new Set(rows.map((r) => r.workflowId)).size).toBe(24);
      } finally {
        second.worker.shutdown();
        await second.done;
      }
    } finally {
      await native.close();
    }
  });

  it('an item whose ID already holds a completed story is counted, not generated again', async () => {
    const batchId = `batch-${randomUUID()}`;
    const taskQueue = p.config.env.TEMPORAL_TASK_QUEUE;
    const settings = { retry: p.config.retry, llmTimeoutMs: p.config.provider.timeoutMs };
    const correlationId = randomUUID();
    // Item 1 ran before (as if by an earlier run of this batch).
    await p.temporal.client.workflow.execute(storyWorkflow, {
      taskQueue,
      workflowId: `${batchId}/item-1`,
      args: [
        {
          framework: 'langchain',
          primaryCharacter: 'Ann',
          secondaryCharacter: 'Eve',
          settings,
          correlationId,
          origin: 'batch',
          batchId,
        },
      ],
    });
    p.sim.reset();
    const input: BatchWorkflowInput = {
      spec: {
        source: {
          kind: 'pairs',
          pairs: [
            { primaryCharacter: 'Ann', secondaryCharacter: 'Dee' },
            { primaryCharacter: 'Ann', secondaryCharacter: 'Eve' },
          ],
        },
        frameworks: ['langchain'],
        concurrency: 2,
      },
      settings,
      llm: { provider: 'simulator', model: 'quillflow-sim-1' },
      correlationId,
      origin: 'api',
    };
    const report = await p.temporal.client.workflow.execute(batchWorkflow, {
      taskQueue,
      workflowId: batchId,
      args: [input],
    });
    expect(report).toMatchObject({ completed: 2, failed: 0 });
    expect(Number(report.costUsd)).toBeGreaterThan(0);
    expect(p.sim.stats().requests).toBe(1); // only item 0 was generated
    expect(await p.prisma.story.count({ where: { batchId } })).toBe(2);
  });
});
