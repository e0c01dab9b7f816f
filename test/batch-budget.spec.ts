import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from '@temporalio/worker';
import Decimal from 'decimal.js';
import { itemCostBounds } from '../activities/batch/batch-budget';
import { defaultPromptsDir } from '../activities/prompts';
import { batchSize, itemAt, type BatchSpec } from '../common/batch-items';
import type { BatchReport } from '../common/batch-types';
import type { Framework } from '../common/frameworks';
import { usd } from '../common/money';
import { DEFAULT_PRICING_TABLE } from '../common/pricing';
import { mulberry32, seed32 } from '../simulator/prng';
import { writeWorkflowBundle } from '../workers/bundle';
import { http, startTestPlatform, type TestPlatform } from './support/platform';

/**
 * Issue 14, item 1: the budget is a cap. An item starts only when its worst case fits in
 * budget - spent - reservations, so the audit trail never says more than the budget (without
 * crashes). Real Temporal dev server, real database, the simulator over HTTP.
 */
jest.setTimeout(900_000);

// Outputs are cut at MAX_TOKENS: the simulator's stories (300-450 tokens) are cut or not
// depending on the names, so real spend lands anywhere from far below to at the worst case.
const MAX_TOKENS = 400;

describe('batch budget reservations (real Temporal, real DB, simulator over HTTP)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ MAX_TOKENS: String(MAX_TOKENS) });
  });
  afterAll(async () => {
    await p?.close();
  });
  beforeEach(() => {
    p.sim.reset();
    p.sim.setLatency(0, 0);
  });

  const start = async (body: Record<string, unknown>): Promise<string> => {
    const res = await http(p.baseUrl, 'POST', '/api/batches', body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 202 });
    return res.body.batchId as string;
  };
  /** The workflow's result: waits for the batch's completion event, no polling. */
  const report = (id: string) =>
    p.temporal.client.workflow.getHandle(id).result() as Promise<BatchReport>;
  const audited = async (batchId: string): Promise<Decimal> => {
    const sum = await p.prisma.llmCallAttempt.aggregate({
      where: { batchId },
      _sum: { costUsd: true },
    });
    return new Decimal(sum._sum.costUsd?.toString() ?? 0);
  };
  const bounds = (spec: BatchSpec) =>
    itemCostBounds(spec, {
      pricing: DEFAULT_PRICING_TABLE,
      promptsDir: defaultPromptsDir(),
      providers: p.config.providers,
    });

  it('33,333 pairs x 3 frameworks, window 500, budget $0.000001: no item starts, stopped (budget), $0 spent', async () => {
    const names = (prefix: string) => Array.from({ length: 200 }, (_, i) => `${prefix}${i}`);
    const id = await start({
      generate: { count: 33_333, primaryNames: names('Ann'), secondaryNames: names('Bob') },
      frameworks: ['semantic-kernel', 'langchain', 'langgraph'],
      concurrency: 500,
      budgetUsd: '0.000001',
    });
    const r = await report(id);
    expect(r).toMatchObject({
      state: 'stopped',
      stopReason: 'budget',
      total: 99_999,
      completed: 0,
      failed: 0,
      running: 0,
      notStarted: 99_999,
      costUsd: '0.000000',
      reservedUsd: '0.000000',
      overshootUsd: '0.000000',
      budgetUsd: '0.000001',
    });
    expect(p.sim.stats().requests).toBe(0);
    expect((await audited(id)).isZero()).toBe(true);
    const history = await p.temporal.client.workflow.getHandle(id).fetchHistory();
    expect(
      (history.events ?? []).filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes),
    ).toHaveLength(0);

    const detail = (await http(p.baseUrl, 'GET', `/api/batches/${id}`)).body;
    expect(detail.status).toBe('COMPLETED');
    expect(detail.progress).toMatchObject({
      state: 'stopped',
      stopReason: 'budget',
      costUsd: '0.000000',
      reservedUsd: '0.000000',
      overshootUsd: '0.000000',
    });
    expect(detail.report).toMatchObject({ reservedUsd: '0.000000', overshootUsd: '0.000000' });
    const row = await p.prisma.batch.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'stopped', stopReason: 'budget', completed: 0 });
  });

  it('reservations carry over continue-as-new, and every run replays from its history', async () => {
    const generate = {
      count: 20,
      primaryNames: ['Ann', 'Ben', 'Cy'],
      secondaryNames: ['Dee', 'Eve'],
    };
    const frameworks: Framework[] = ['langchain', 'langgraph'];
    const worst = bounds({
      source: { kind: 'generate', ...generate },
      frameworks,
      concurrency: 4,
    }).worstCaseUsd;
    // Room for four items at their worst case (a dozen or so at real cost, of 40): runs of 3 starts each, then the cap.
    const budget = usd(new Decimal(worst.langchain!).plus(worst.langgraph!).mul(2));
    p.sim.setFaults({ rules: [{ fault: 'revise', rate: 0.5 }] });
    const res = await http(p.baseUrl, 'POST', '/api/batches', {
      generate,
      frameworks,
      concurrency: 4,
      continueAsNewAfter: 3,
      budgetUsd: budget,
    });
    expect(res.status).toBe(202);
    const id = res.body.batchId as string;
    const r = await report(id);
    const spent = await audited(id);
    expect(spent.lte(budget)).toBe(true);
    expect(r).toMatchObject({
      state: 'stopped',
      stopReason: 'budget',
      reservedUsd: '0.000000',
      overshootUsd: '0.000000',
      costUsd: usd(spent),
    });
    expect(r.runs).toBeGreaterThanOrEqual(3);
    expect(
      spent.gte(new Decimal(budget).minus(Decimal.max(worst.langchain!, worst.langgraph!))),
    ).toBe(true);

    // Every run, replayed by a fresh worker from its history, makes the same decisions.
    const bundle =
      process.env.QUILLFLOW_TEST_WORKFLOW_BUNDLE ??
      (await writeWorkflowBundle(
        path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qf-bundle-')), 'workflows.js'),
      ));
    // The chain of runs, from the first one's ID through each continue-as-new.
    type History = Awaited<
      ReturnType<ReturnType<typeof p.temporal.client.workflow.getHandle>['fetchHistory']>
    >;
    const histories: History[] = [];
    for (let runId: string | null | undefined = res.body.runId as string; runId;) {
      const history: History = await p.temporal.client.workflow.getHandle(id, runId).fetchHistory();
      histories.push(history);
      const events = history.events ?? [];
      runId =
        events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes
          ?.newExecutionRunId;
    }
    expect(histories).toHaveLength(r.runs);
    for (const history of histories)
      await Worker.runReplayHistory({ workflowBundle: { codePath: bundle } }, history, id);
  });

  it('property: 200 random small batches never spend more than their budget, and stop only when one more item could not fit', async () => {
    const seed = process.env.BUDGET_PROPERTY_SEED ?? `budget-${Date.now()}`;
    const rand = mulberry32(seed32(seed));
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const syllables = [
      'an',
      'bel',
      'cor',
      'da',
      'el',
      'fin',
      'gar',
      'hu',
      'is',
      'jo',
      'ka',
      'lum',
      'mi',
      'nor',
      'os',
      'pe',
      'qua',
      'ri',
      'sol',
      'ty',
    ];
    const name = (prefix: string) => {
      const words = Array.from({ length: int(1, 3) }, () =>
        Array.from({ length: int(1, 5) }, () => syllables[int(0, syllables.length - 1)]).join(''),
      );
      return `${prefix}${words.map((w) => w[0].toUpperCase() + w.slice(1)).join(' ')}`;
    };
    const all: Framework[] = ['semantic_kernel', 'langchain', 'langgraph'];
    // Critiques fail at random: LangGraph items make anywhere from 2 to all 8 calls.
    p.sim.setFaults({ rules: [{ fault: 'revise', rate: 0.6 }] });

    interface Case {
      spec: BatchSpec;
      maxWorst: Decimal;
      totalWorst: Decimal;
    }
    const cases: Case[] = Array.from({ length: 200 }, () => {
      const frameworks = all.filter(() => rand() < 0.5);
      if (frameworks.length === 0) frameworks.push(all[int(0, 2)]);
      const pairs = int(1, Math.floor(30 / frameworks.length));
      const spec: BatchSpec = {
        source: {
          kind: 'generate',
          count: pairs,
          primaryNames: Array.from({ length: int(1, 4) }, () => name('P ')),
          secondaryNames: Array.from({ length: int(1, 4) }, () => name('S ')),
        },
        frameworks,
        concurrency: int(1, 500),
      };
      const worst = bounds(spec).worstCaseUsd;
      const maxWorst = Decimal.max(...frameworks.map((f) => worst[f]!));
      let totalWorst = new Decimal(0);
      for (let n = 0; n < batchSize(spec); n++)
        totalWorst = totalWorst.plus(worst[itemAt(spec, n).framework]!);
      const kind = rand();
      const budget =
        kind < 0.2
          ? maxWorst.mul(rand()) // often not even one item fits
          : kind < 0.7
            ? maxWorst.mul(1 + 3 * rand()) // a few items
            : totalWorst.mul(1.1 * rand()); // anywhere up to all of them
      spec.budgetUsd = usd(budget.toDecimalPlaces(6, Decimal.ROUND_DOWN));
      return { spec, maxWorst, totalWorst };
    });

    const t0 = Date.now();
    const results: { c: Case; id: string; r: BatchReport; spent: Decimal }[] = [];
    let next = 0;
    const runOne = async () => {
      while (next < cases.length) {
        const c = cases[next++];
        const s = c.spec;
        if (s.source.kind !== 'generate') throw new Error('unreachable');
        const id = await start({
          generate: {
            count: s.source.count,
            primaryNames: s.source.primaryNames,
            secondaryNames: s.source.secondaryNames,
          },
          frameworks: s.frameworks,
          concurrency: s.concurrency,
          budgetUsd: s.budgetUsd,
        });
        const r = await report(id);
        results.push({ c, id, r, spent: await audited(id) });
      }
    };
    // 20 batches at a time on the one worker.
    await Promise.all(Array.from({ length: 20 }, runOne));
    const seconds = (Date.now() - t0) / 1000;

    const problems: string[] = [];
    let stoppedEarly = 0;
    let noneStarted = 0;
    let items = 0;
    for (const { c, id, r, spent } of results) {
      const budget = new Decimal(c.spec.budgetUsd!);
      const where = `${id} (budget ${c.spec.budgetUsd}, ${r.total} items, window ${c.spec.concurrency}, ${c.spec.frameworks.join('+')}, worst item ${c.maxWorst.toFixed(6)})`;
      items += r.completed;
      if (spent.gt(budget)) problems.push(`${where}: spent ${spent.toFixed(6)} > budget`);
      if (r.overshootUsd !== '0.000000' || r.reservedUsd !== '0.000000')
        problems.push(`${where}: overshoot ${r.overshootUsd}, reserved ${r.reservedUsd}`);
      if (r.costUsd !== usd(spent))
        problems.push(`${where}: report says ${r.costUsd}, audit trail ${spent.toFixed(6)}`);
      if (r.failed > 0) problems.push(`${where}: ${r.failed} failed: ${r.failedItems[0]?.error}`);
      if (r.notStarted > 0) {
        stoppedEarly++;
        if (r.completed === 0) noneStarted++;
        if (r.state !== 'stopped' || r.stopReason !== 'budget')
          problems.push(`${where}: ${r.notStarted} not started but ${r.state}/${r.stopReason}`);
        if (spent.lt(budget.minus(c.maxWorst)))
          problems.push(
            `${where}: stopped at ${spent.toFixed(6)}, below budget - one item's worst case`,
          );
      } else if (r.state !== 'completed' || r.completed !== r.total) {
        problems.push(`${where}: ${r.state}, ${r.completed}/${r.total}`);
      }
    }
    console.log(
      `budget property (seed ${seed}): ${results.length} batches in ${seconds.toFixed(1)} s wall, ${items} stories, ` +
        `${stoppedEarly} stopped by the budget (${noneStarted} before any item), ${results.length - stoppedEarly} completed; ` +
        `${p.sim.stats().requests} LLM requests`,
    );
    expect(results).toHaveLength(200);
    expect(problems).toEqual([]);
    // The cases reach both sides of the cap.
    expect(stoppedEarly).toBeGreaterThan(20);
    expect(results.length - stoppedEarly).toBeGreaterThan(20);
  });
});
