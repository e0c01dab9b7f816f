import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import Decimal from 'decimal.js';
import { generateFrom } from './support/batch-names';
import { http, startTestPlatform, type TestPlatform } from './support/platform';
import { pause, waitFor } from './support/wait';

/**
 * Issue 14, "estimate before starting": `POST /api/batches` with `dryRun` (and MCP start_batch)
 * answers the cost of a batch without starting or writing anything, and its estimate for a
 * 300-item batch is within ±25% of what the batch then spends (real Temporal, real database, the
 * simulator over HTTP with no latency).
 *
 * Which estimate: the one made once the audit trail has history (a 60-item warm-up batch gives
 * every framework at least MIN_HISTORY_ATTEMPTS successful calls), i.e. measured tokens per
 * framework and model priced by the table. The pricing-only figure (prompts counted, answers of
 * a typical 400 tokens) is what a fresh install sees; it is printed next to the result, not held
 * to ±25%: the simulator's stories (about 225 tokens) and critiques (about 35) are shorter than
 * what the prompts ask a real model for.
 */

jest.setTimeout(300_000);

const FRAMEWORKS = ['semantic-kernel', 'langchain', 'langgraph'];
const batch = (count: number, extra: Record<string, unknown> = {}) => ({
  generate: generateFrom(count),
  frameworks: FRAMEWORKS,
  concurrency: 20,
  ...extra,
});

describe('batch dry run (real Temporal, real DB, simulator over HTTP)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });

  const batchesOnOurQueue = async () => {
    let n = 0;
    for await (const _ of p.temporal.client.workflow.list({
      query: `TaskQueue = '${p.config.env.TEMPORAL_TASK_QUEUE}' AND WorkflowType = 'batchWorkflow'`,
    }))
      n++;
    return n;
  };
  const written = async () => ({
    batches: await p.prisma.batch.count(),
    stories: await p.prisma.story.count(),
    attempts: await p.prisma.llmCallAttempt.count(),
  });
  const runToEnd = async (body: Record<string, unknown>) => {
    const res = await http(p.baseUrl, 'POST', '/api/batches', body);
    expect(res.status).toBe(202);
    const id = res.body.batchId as string;
    const done = await waitFor(
      'the batch to close',
      async () => (await http(p.baseUrl, 'GET', `/api/batches/${id}`)).body,
      (b) => b.status !== 'RUNNING',
      { timeoutMs: 280_000, everyMs: 500 },
    );
    expect(done.report).toMatchObject({ state: 'completed', failed: 0 });
    return done.report as { costUsd: string; totalTokens: number; total: number };
  };
  const dryRun = async (body: Record<string, unknown>) => {
    const res = await http(p.baseUrl, 'POST', '/api/batches', { ...body, dryRun: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    return res.body;
  };

  it('a dry run starts no workflow and writes nothing; REST and MCP answer the same', async () => {
    const before = await written();
    const listedBefore = await batchesOnOurQueue();
    const e = await dryRun(batch(100, { budgetUsd: '0.05' }));
    expect(e).toMatchObject({
      dryRun: true,
      totalItems: 300,
      pairs: 100,
      frameworks: ['semantic_kernel', 'langchain', 'langgraph'],
      provider: 'simulator',
      model: p.config.provider.model,
      expected: { source: 'pricing' }, // a fresh database: no history yet
      budget: { budgetUsd: '0.050000' },
    });
    expect(e.perFramework.map((f: { items: number }) => f.items)).toEqual([100, 100, 100]);
    expect(new Decimal(e.worstCase.costUsd).gt(e.expected.costUsd)).toBe(true);

    const mcp = new Client({ name: 'quillflow-test', version: '1' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${p.baseUrl}/mcp`)));
    try {
      const r = (await mcp.callTool({
        name: 'start_batch',
        arguments: batch(100, { budgetUsd: '0.05', dryRun: true }),
      })) as {
        isError?: boolean;
        structuredContent?: Record<string, unknown>;
      };
      expect(r.isError).toBeFalsy();
      const { transaction_guid, ...fromMcp } = r.structuredContent!;
      expect(transaction_guid).toEqual(expect.any(String));
      expect(fromMcp).toEqual(e);
    } finally {
      await mcp.close();
    }

    // Visibility is eventually consistent: give a start that should not have happened time to show.
    await pause(2_000);
    expect(await batchesOnOurQueue()).toBe(listedBefore);
    expect(await written()).toEqual(before);
  });

  it('an invalid dry run is a 422 like any invalid batch', async () => {
    const res = await http(p.baseUrl, 'POST', '/api/batches', batch(100, { dryRun: 'yes' }));
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('dryRun must be true or false');
  });

  it('with history, the estimate of a 300-item batch is within ±25% of what it spends', async () => {
    const pricingOnly = await dryRun(batch(100));
    // Warm-up: 20 pairs x 3 frameworks = 60 finished items, at least 20 successful calls each.
    await runToEnd(batch(20, { label: 'warm-up' }));

    const e = await dryRun(batch(100));
    expect(e.expected.source).toBe('history');
    for (const f of e.perFramework)
      expect(f.historyAttempts).toBeGreaterThanOrEqual(e.minHistoryAttempts);
    expect(
      e.perFramework.find((f: { framework: string }) => f.framework === 'langgraph').callsPerItem,
    ).toBe(2);

    const report = await runToEnd(batch(100));
    expect(report.total).toBe(300);
    const spent = new Decimal(report.costUsd);
    const ratio = new Decimal(e.expected.costUsd).div(spent).toNumber();
    console.log(
      `dry run vs spend, 300 items: spent $${report.costUsd} (${report.totalTokens} tokens); ` +
        `expected (history) $${e.expected.costUsd} (${e.expected.totalTokens} tokens), ratio ${ratio.toFixed(3)}; ` +
        `expected (pricing only) $${pricingOnly.expected.costUsd}, ratio ${new Decimal(pricingOnly.expected.costUsd).div(spent).toFixed(3)}; ` +
        `worst case $${e.worstCase.costUsd}`,
    );
    expect(ratio).toBeGreaterThanOrEqual(0.75);
    expect(ratio).toBeLessThanOrEqual(1.25);
    // The worst case bounds the spend.
    expect(spent.lte(e.worstCase.costUsd)).toBe(true);
  });
});
