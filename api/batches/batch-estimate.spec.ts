import Decimal from 'decimal.js';
import type { BatchSpec } from '../../common/batch-items';
import type { AppConfig } from '../../common/config';
import { DEFAULT_PRICING_TABLE, priceUsage } from '../../common/pricing';
import { batchRequestSchema } from '../../common/schemas/batch';
import { batchEstimateSchema } from '../../common/schemas/batch-estimate-responses';
import { scheduleRequestSchema } from '../../common/schemas/schedule';
import { itemCostBounds, nameBounds } from '../../activities/batch/batch-budget';
import { timesUsd } from '../../activities/llm/cost-estimate';
import { defaultPromptsDir } from '../../activities/prompts';
import type { PrismaClient } from '../../prisma/client';
import type { RequestBounds } from '../core/request-bounds.service';
import {
  BatchEstimator,
  HISTORY_WINDOW_ATTEMPTS,
  MIN_HISTORY_ATTEMPTS,
  TYPICAL_ANSWER_TOKENS,
  measurePerItem,
  withoutCutItem,
  type AttemptTokens,
} from './batch-estimate';

const MODEL = 'quillflow-sim-1';
const MAX_TOKENS = 1000;

const spec = (over: Partial<BatchSpec> = {}): BatchSpec => ({
  source: {
    kind: 'pairs',
    pairs: [
      { primaryCharacter: 'Alice', secondaryCharacter: 'Bob' },
      { primaryCharacter: 'Sherlock Holmes', secondaryCharacter: 'Dr. Watson' },
    ],
  },
  frameworks: ['semantic_kernel', 'langgraph'],
  concurrency: 5,
  ...over,
});

/** `n` finished items of `calls` calls each, `input`/`output` tokens per call. */
function history(
  prefix: string,
  n: number,
  calls: number,
  input: number,
  output: number,
): AttemptTokens[] {
  return Array.from({ length: n * calls }, (_, i) => ({
    workflowId: `${prefix}/item-${Math.floor(i / calls)}`,
    inputTokens: input,
    outputTokens: output,
  }));
}

describe('dryRun in the request schemas', () => {
  const body = {
    items: [{ primaryCharacter: 'Alice', secondaryCharacter: 'Bob' }],
    frameworks: ['langchain'],
  };
  it('POST /api/batches takes a boolean dryRun', () => {
    expect(batchRequestSchema().parse({ ...body, dryRun: true }).dryRun).toBe(true);
    expect(batchRequestSchema().parse(body).dryRun).toBeUndefined();
    const bad = batchRequestSchema().safeParse({ ...body, dryRun: 'yes' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({
      path: ['dryRun'],
      message: 'dryRun must be true or false',
    });
  });

  it('a schedule refuses a dry-run batch (it starts its batches)', () => {
    const schedule = (batch: object) => scheduleRequestSchema().safeParse({ every: '1h', batch });
    expect(schedule({ ...body, dryRun: true }).error?.issues[0]).toMatchObject({
      path: ['batch', 'dryRun'],
    });
    expect(schedule(body).success).toBe(true);
  });
});

describe('measurePerItem', () => {
  it('is the mean over finished items of their successful calls', () => {
    const rows = history('b', 12, 2, 100, 300);
    const m = measurePerItem(rows, new Set(rows.map((r) => r.workflowId)));
    expect(m).toEqual({
      attempts: 24,
      items: 12,
      inputPerItem: 200,
      outputPerItem: 600,
      callsPerItem: 2,
    });
  });

  it(`needs ${MIN_HISTORY_ATTEMPTS} calls of finished items`, () => {
    const rows = history('b', MIN_HISTORY_ATTEMPTS - 1, 1, 100, 300);
    expect(measurePerItem(rows, new Set(rows.map((r) => r.workflowId)))).toBeNull();
    const more = [...rows, { workflowId: 'running/item-0', inputTokens: 100, outputTokens: 300 }];
    // The extra call's item has not finished: it is not counted.
    expect(measurePerItem(more, new Set(rows.map((r) => r.workflowId)))).toBeNull();
  });

  it('leaves out items still running (they paid for part of their calls)', () => {
    const done = history('b', 20, 2, 100, 300);
    const running = [{ workflowId: 'b/item-99', inputTokens: 100, outputTokens: 300 }];
    const m = measurePerItem([...running, ...done], new Set(done.map((r) => r.workflowId)))!;
    expect(m.items).toBe(20);
    expect(m.callsPerItem).toBe(2);
  });
});

describe('withoutCutItem', () => {
  const rows = [
    { workflowId: 'new', n: 1 },
    { workflowId: 'old', n: 2 },
    { workflowId: 'old', n: 3 },
  ];
  it("drops the oldest item's rows when the window was full", () => {
    expect(withoutCutItem(rows, true).map((r) => r.n)).toEqual([1]);
    expect(withoutCutItem(rows, false)).toHaveLength(3);
    expect(withoutCutItem([], true)).toEqual([]);
  });
});

describe('nameBounds', () => {
  it('takes the longest names of a pair list and of a generator', () => {
    const pairs = nameBounds(spec());
    expect(pairs.primary.chars).toBe('Sherlock Holmes'.length);
    expect(pairs.secondary.chars).toBe('Dr. Watson'.length);
    const gen = nameBounds({
      source: {
        kind: 'generate',
        count: 3,
        primaryNames: ['A', 'Bartholomew'],
        secondaryNames: ['C'],
      },
    });
    expect(gen.primary.chars).toBe('Bartholomew'.length);
    expect(gen.secondary.chars).toBe(1);
  });
});

/** A read-only Prisma fake: the two reads the estimator makes, and nothing else (a write would throw). */
function fakePrisma(attempts: Record<string, AttemptTokens[]>, finished: Set<string>) {
  const calls: unknown[] = [];
  const prisma = {
    llmCallAttempt: {
      findMany: jest.fn(
        async (q: { where: { framework: string; model: string }; take: number }) => {
          calls.push(q);
          return (attempts[`${q.where.framework}/${q.where.model}`] ?? []).slice(0, q.take);
        },
      ),
    },
    story: {
      findMany: jest.fn(async (q: { where: { workflowId: { in: string[] } } }) =>
        q.where.workflowId.in
          .filter((id) => finished.has(id))
          .map((workflowId) => ({ workflowId })),
      ),
    },
  };
  return { prisma: prisma as unknown as PrismaClient, calls };
}

const config = {
  env: { PRICING_FILE: undefined },
  provider: { name: 'simulator', model: MODEL, maxTokens: MAX_TOKENS },
  providers: [{ name: 'simulator', model: MODEL, maxTokens: MAX_TOKENS }],
} as unknown as AppConfig;
const bounds = {
  limits: { pricing: DEFAULT_PRICING_TABLE },
  promptsDir: defaultPromptsDir(),
} as unknown as RequestBounds;

/** What the budget cap reserves for one item of the batch. */
const worstItem = (framework: 'semantic_kernel' | 'langgraph', s: BatchSpec) =>
  itemCostBounds(s, {
    pricing: DEFAULT_PRICING_TABLE,
    promptsDir: defaultPromptsDir(),
    providers: [{ model: MODEL, maxTokens: MAX_TOKENS }],
  }).worstCaseUsd[framework]!;

describe('BatchEstimator', () => {
  it('without history: prices the shortest path at typical answer lengths, and the worst case from the estimator', async () => {
    const { prisma } = fakePrisma({}, new Set());
    const s = spec();
    const e = await new BatchEstimator(prisma, config, bounds).estimate(s);
    expect(batchEstimateSchema.safeParse(e).success).toBe(true);
    expect(e).toMatchObject({
      dryRun: true,
      totalItems: 4,
      pairs: 2,
      frameworks: ['semantic_kernel', 'langgraph'],
      model: MODEL,
      budget: null,
    });
    expect(e.expected.source).toBe('pricing');
    const [sk, lg] = e.perFramework;
    expect(sk).toMatchObject({
      framework: 'semantic_kernel',
      items: 2,
      source: 'pricing',
      historyAttempts: 0,
      callsPerItem: 1,
    });
    expect(sk.expectedPerItem.outputTokens).toBe(TYPICAL_ANSWER_TOKENS);
    // LangGraph's shortest path: a draft and one critique that passes.
    expect(lg).toMatchObject({ framework: 'langgraph', callsPerItem: 2 });
    expect(lg.expectedPerItem.outputTokens).toBe(2 * TYPICAL_ANSWER_TOKENS);
    // The worst case is what the budget cap reserves per item, times the items, per framework and in all.
    expect(sk.worstCasePerItemUsd).toBe(worstItem('semantic_kernel', s));
    expect(lg.worstCaseUsd).toBe(timesUsd(worstItem('langgraph', s), 2));
    expect(e.worstCase.costUsd).toBe(new Decimal(sk.worstCaseUsd).plus(lg.worstCaseUsd).toFixed(6));
    expect(new Decimal(e.worstCase.costUsd).gt(e.expected.costUsd)).toBe(true);
    expect(e.expected.costUsd).toBe(
      new Decimal(sk.expected.costUsd).plus(lg.expected.costUsd).toFixed(6),
    );
    expect(e.expected.totalTokens).toBe(sk.expected.totalTokens + lg.expected.totalTokens);
  });

  it('with enough history of a framework and model: its measured mean tokens, priced by the table', async () => {
    const lgRows = history('batch-x', 15, 2, 150, 350); // 30 calls of 15 finished items
    const skRows = history('batch-y', 5, 1, 100, 300); // 5 calls: not enough
    const { prisma, calls } = fakePrisma(
      { [`langgraph/${MODEL}`]: lgRows, [`semantic_kernel/${MODEL}`]: skRows },
      new Set([...lgRows, ...skRows].map((r) => r.workflowId)),
    );
    const s = spec({
      source: {
        kind: 'generate',
        count: 100,
        primaryNames: ['Alice', 'Bob'],
        secondaryNames: ['Carol'],
      },
    });
    const e = await new BatchEstimator(prisma, config, bounds).estimate(s);
    expect(batchEstimateSchema.safeParse(e).success).toBe(true);
    expect(e.totalItems).toBe(200);
    expect(e.expected.source).toBe('mixed');
    const lg = e.perFramework.find((f) => f.framework === 'langgraph')!;
    expect(lg).toMatchObject({
      source: 'history',
      historyAttempts: 30,
      historyItems: 15,
      callsPerItem: 2,
    });
    expect(lg.expectedPerItem).toEqual({
      inputTokens: 300,
      outputTokens: 700,
      totalTokens: 1000,
      costUsd: priceUsage(DEFAULT_PRICING_TABLE, MODEL, 300, 700).costUsd,
    });
    expect(lg.expected).toEqual({
      inputTokens: 30_000,
      outputTokens: 70_000,
      totalTokens: 100_000,
      costUsd: priceUsage(DEFAULT_PRICING_TABLE, MODEL, 30_000, 70_000).costUsd,
    });
    expect(e.perFramework.find((f) => f.framework === 'semantic_kernel')!.source).toBe('pricing');
    // Successful story calls (story runs, and batch items run as activities) of this model, newest first, in a bounded window.
    expect(calls[0]).toMatchObject({
      where: {
        model: MODEL,
        outcome: 'success',
        workflowType: { in: ['storyWorkflow', 'batchWorkflow'] },
      },
      orderBy: { id: 'desc' },
      take: HISTORY_WINDOW_ATTEMPTS,
    });
  });

  it('says whether the budget covers the expected cost and the worst case', async () => {
    const { prisma } = fakePrisma({}, new Set());
    const estimator = new BatchEstimator(prisma, config, bounds);
    const free = await estimator.estimate(spec());
    const between = new Decimal(free.expected.costUsd)
      .plus(free.worstCase.costUsd)
      .div(2)
      .toFixed(6);
    const covers = async (budgetUsd: string) =>
      (await estimator.estimate(spec({ budgetUsd }))).budget;
    expect(await covers(between)).toEqual({
      budgetUsd: between,
      coversExpected: true,
      coversWorstCase: false,
    });
    expect(await covers(free.worstCase.costUsd)).toEqual({
      budgetUsd: free.worstCase.costUsd,
      coversExpected: true,
      coversWorstCase: true,
    });
    expect(await covers('0.000001')).toEqual({
      budgetUsd: '0.000001',
      coversExpected: false,
      coversWorstCase: false,
    });
  });

  it('prices an unknown model as free and says so', async () => {
    const { prisma } = fakePrisma({}, new Set());
    const unknown = { ...config.provider, model: 'no-such-model' };
    const other = { ...config, provider: unknown, providers: [unknown] };
    const e = await new BatchEstimator(prisma, other, bounds).estimate(spec());
    expect(e.pricing).toEqual({
      inputPer1kUsd: '0.000000',
      outputPer1kUsd: '0.000000',
      known: false,
    });
    expect(e.expected.costUsd).toBe('0.000000');
    expect(e.worstCase.costUsd).toBe('0.000000');
  });

  it('the worst case is priced at the dearest provider a call may fail over to', async () => {
    const { prisma } = fakePrisma({}, new Set());
    const dear = {
      name: 'backup',
      model: 'backup-model',
      maxTokens: MAX_TOKENS,
      prices: { input: '0.1', output: '0.2' },
    };
    const alone = await new BatchEstimator(prisma, config, bounds).estimate(spec());
    const withBackup = await new BatchEstimator(
      prisma,
      { ...config, providers: [...config.providers, dear] } as AppConfig,
      bounds,
    ).estimate(spec());
    expect(new Decimal(withBackup.worstCase.costUsd).gt(alone.worstCase.costUsd)).toBe(true);
    // The expected cost is the primary's: fallbacks serve only while it fails.
    expect(withBackup.expected.costUsd).toBe(alone.expected.costUsd);
  });
});
