import { ApplicationFailure } from '@temporalio/common';
import Decimal from 'decimal.js';
import { batchSize, itemAt, type BatchSpec } from '../../common/batch-items';
import { DEFAULT_PRICING_TABLE } from '../../common/pricing';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-db';
import { offlineProviderConfig, quietLogger } from '../../test/support/activity-deps';
import type { ActivityDeps } from '../deps';
import { estimateStoryRequest } from '../llm/cost-estimate';
import { defaultPromptsDir } from '../prompts';
import { BATCH_SPEC_UNUSABLE, batchBudget, itemCostBounds, nameBounds } from './batch-budget';

describe('itemCostBounds', () => {
  const primary = { model: 'quillflow-sim-1', maxTokens: 300 };
  const o = { pricing: DEFAULT_PRICING_TABLE, promptsDir: defaultPromptsDir(), ...primary };
  const bounds = { pricing: o.pricing, promptsDir: o.promptsDir, providers: [primary] };

  it.each<[string, BatchSpec['source']]>([
    [
      'generate',
      {
        kind: 'generate',
        count: 12,
        primaryNames: ['Al', 'Maximilian of the Long Name', 'Zoë'],
        secondaryNames: ['Bo', '李小龙', 'Al'],
      },
    ],
    [
      'pairs',
      {
        kind: 'pairs',
        pairs: [
          { primaryCharacter: 'Ann', secondaryCharacter: 'Bartholomew Jones-Smythe' },
          { primaryCharacter: 'Christopherson', secondaryCharacter: 'Di' },
        ],
      },
    ],
  ])('one number per framework covers every item of a %s batch', (_kind, source) => {
    const spec: BatchSpec = {
      source,
      frameworks: ['semantic_kernel', 'langchain', 'langgraph'],
      concurrency: 5,
    };
    const b = itemCostBounds(spec, bounds);
    expect(Object.keys(b.worstCaseUsd).sort()).toEqual([
      'langchain',
      'langgraph',
      'semantic_kernel',
    ]);
    expect(b).toMatchObject({ priced: true, model: 'quillflow-sim-1', maxTokens: 300 });
    for (let n = 0; n < batchSize(spec); n++) {
      const item = itemAt(spec, n);
      const one = estimateStoryRequest({ ...o, ...item });
      expect(new Decimal(b.worstCaseUsd[item.framework]!).gte(one.worstCaseUsd)).toBe(true);
    }
  });

  it('an unknown model reserves 0 and says so', () => {
    const spec: BatchSpec = {
      source: { kind: 'pairs', pairs: [{ primaryCharacter: 'A', secondaryCharacter: 'B' }] },
      frameworks: ['langchain'],
      concurrency: 1,
    };
    expect(
      itemCostBounds(spec, { ...bounds, providers: [{ model: 'nope', maxTokens: 300 }] }),
    ).toMatchObject({ worstCaseUsd: { langchain: '0.000000' }, priced: false });
  });

  it('a call that fails over to a dearer provider is covered: each call at the dearest price', () => {
    const spec: BatchSpec = {
      source: { kind: 'pairs', pairs: [{ primaryCharacter: 'Ann', secondaryCharacter: 'Bo' }] },
      frameworks: ['langgraph'],
      concurrency: 1,
    };
    // One provider dear on input, the other on output: a story routed call by call across both
    // can cost more than it would on either alone.
    const inputDear = {
      model: 'backup-a',
      maxTokens: 300,
      prices: { input: '0.5', output: '0.001' },
    };
    const outputDear = {
      model: 'backup-b',
      maxTokens: 300,
      prices: { input: '0.001', output: '0.5' },
    };
    const b = itemCostBounds(spec, { ...bounds, providers: [primary, inputDear, outputDear] });
    const names = nameBounds(spec);
    const story = {
      framework: 'langgraph',
      primaryCharacter: names.primary,
      secondaryCharacter: names.secondary,
    } as const;
    const on = (p: typeof inputDear) =>
      estimateStoryRequest({ ...o, ...p, pricing: { [p.model]: p.prices }, ...story });
    const a = on(inputDear);
    const c = on(outputDear);
    const p = estimateStoryRequest({ ...o, ...story });
    const mixed = a.calls.reduce(
      (sum, call, i) =>
        sum.plus(Decimal.max(call.worstCaseUsd, c.calls[i].worstCaseUsd, p.calls[i].worstCaseUsd)),
      new Decimal(0),
    );
    expect(b.worstCaseUsd.langgraph).toBe(mixed.toFixed(6));
    expect(
      new Decimal(b.worstCaseUsd.langgraph!).gt(Decimal.max(a.worstCaseUsd, c.worstCaseUsd)),
    ).toBe(true);
    expect(b.model).toBe('quillflow-sim-1');
  });
});

/** A stored spec no attempt could ever estimate fails for good, naming what is wrong (SQLite). */
describe('estimateBatchItemCosts', () => {
  let db: TestDatabase;
  let estimate: ReturnType<typeof batchBudget>['estimateBatchItemCosts'];
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    // What the estimate reads of its deps (the other activity specs build theirs the same way).
    const deps = {
      prisma: db.prisma,
      config: offlineProviderConfig(),
      logger: quietLogger,
      pricing: DEFAULT_PRICING_TABLE,
      promptsDir: defaultPromptsDir(),
    };
    estimate = batchBudget(deps as unknown as ActivityDeps).estimateBatchItemCosts;
  });
  afterAll(() => db?.drop());

  const rowWithSpec = async (id: string, spec: string) => {
    await db.prisma.batch.create({
      data: { id, workflowId: id, totalItems: 1, concurrency: 1, spec, correlationId: 'c' },
    });
    return id;
  };
  const failureOf = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    );

  it.each([
    ['not JSON', '{"source": {"kind": "pairs"', /its stored spec cannot be estimated: not JSON/],
    [
      'an unknown framework',
      JSON.stringify({
        source: { kind: 'pairs', pairs: [{ primaryCharacter: 'A', secondaryCharacter: 'B' }] },
        frameworks: ['haiku'],
        concurrency: 1,
      }),
      /its stored spec cannot be estimated: .*frameworks/,
    ],
    [
      'a source without pairs',
      JSON.stringify({ source: { kind: 'pairs' }, frameworks: ['langchain'], concurrency: 1 }),
      /its stored spec cannot be estimated: .*source\.pairs/,
    ],
  ])('%s: non-retryable BatchSpecUnusable', async (name, spec, message) => {
    const id = await rowWithSpec(`batch-unusable-${name.replace(/\W+/g, '-')}`, spec);
    const err = await failureOf(estimate({ batchId: id }));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ nonRetryable: true, type: BATCH_SPEC_UNUSABLE });
    expect(err instanceof Error && err.message).toMatch(message);
    expect(err instanceof Error && err.message).toContain(id);
  });

  it('a usable spec is estimated', async () => {
    const id = await rowWithSpec(
      'batch-usable',
      JSON.stringify({
        source: { kind: 'generate', count: 2, primaryNames: ['Ann'], secondaryNames: ['Bo', 'Cy'] },
        frameworks: ['langchain'],
        concurrency: 1,
      }),
    );
    expect(await estimate({ batchId: id })).toMatchObject({ priced: true });
  });
});
