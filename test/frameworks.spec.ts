import Decimal from 'decimal.js';
import { http, startTestPlatform, type TestPlatform } from './support/platform';

/**
 * All three frameworks end to end through the original's routes (`POST /api/{framework}`):
 * the stored row, one audit row per LLM call with tokens and cost that add up to the story's,
 * the LangGraph critique loop (more than one revision, bounded), LangGraph resuming after a
 * failed node without paying for the draft again, and the provider headers on the wire.
 */
const body = { primary_character: 'Mrs. Claus', secondary_character: 'Jack Frost' };

async function auditRows(p: TestPlatform, workflowId: string) {
  return p.prisma.llmCallAttempt.findMany({
    where: { workflowId },
    orderBy: [{ attempt: 'asc' }, { callIndex: 'asc' }],
  });
}

async function expectAuditMatchesStory(p: TestPlatform, storyId: number) {
  const row = await p.prisma.story.findUniqueOrThrow({ where: { id: storyId } });
  const ok = (await auditRows(p, row.workflowId)).filter((a) => a.outcome === 'success');
  for (const a of ok) {
    expect(a.inputTokens).toBeGreaterThan(0);
    expect(a.outputTokens).toBeGreaterThan(0);
    expect(new Decimal(a.costUsd.toString()).gt(0)).toBe(true);
    expect(a.correlationId).toBe(row.correlationId);
  }
  const cost = ok.reduce((acc, a) => acc.plus(a.costUsd.toString()), new Decimal(0));
  expect(cost.toFixed(6)).toBe(new Decimal(row.estimatedCostUsd!.toString()).toFixed(6));
  expect(ok.reduce((n, a) => n + a.totalTokens, 0)).toBe(row.totalTokens);
  expect(ok).toHaveLength(row.llmCalls);
  return { row, ok };
}

describe('frameworks (real Temporal, real DB, simulator over HTTP)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });
  beforeEach(() => p.sim.reset());

  it.each([
    ['semantic-kernel', 'semantic_kernel'],
    ['semantic_kernel', 'semantic_kernel'],
    ['langchain', 'langchain'],
  ])('POST /api/%s generates, stores and audits one call', async (slug, framework) => {
    const res = await http(p.baseUrl, 'POST', `/api/${slug}`, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      framework,
      primary_character: 'Mrs. Claus',
      secondary_character: 'Jack Frost',
      llm_calls: 1,
    });
    expect(res.body.request_id).toBe(res.headers.get('x-request-id'));
    expect(res.body.transaction_guid).toBe(res.headers.get('x-transaction-guid'));
    expect(res.body.story).toContain('Jack Frost');
    const { row, ok } = await expectAuditMatchesStory(p, res.body.id);
    expect(row.method).toBe(framework);
    expect(row.storyContent).toBe(res.body.story);
    expect(ok.map((a) => [a.step, a.framework])).toEqual([['story', framework]]);
    expect(p.sim.stats().requests).toBe(1);
  });

  it('LangGraph: draft, then a critique that passes', async () => {
    const res = await http(p.baseUrl, 'POST', '/api/langgraph', body);
    expect(res.status).toBe(200);
    expect(res.body.framework).toBe('langgraph');
    const { ok } = await expectAuditMatchesStory(p, res.body.id);
    expect(ok.map((a) => a.step)).toEqual(['draft', 'critique-1']);
    expect(p.sim.stats().critique).toEqual({ pass: 1, revise: 0 });
  });

  it('LangGraph loops: two REVISE verdicts give two revisions before the passing critique', async () => {
    p.sim.setFaults({ rules: [{ fault: 'revise', times: 2 }] });
    const res = await http(p.baseUrl, 'POST', '/api/langgraph', body);
    expect(res.status).toBe(200);
    expect(res.body.llm_calls).toBe(6);
    const { ok } = await expectAuditMatchesStory(p, res.body.id);
    expect(ok.map((a) => a.step)).toEqual([
      'draft',
      'critique-1',
      'revise-1',
      'critique-2',
      'revise-2',
      'critique-3',
    ]);
    expect(p.sim.stats().critique).toEqual({ pass: 1, revise: 2 });
    expect(p.sim.stats().requests).toBe(6);
  });

  it('LangGraph stops after three revisions even if the critique never passes', async () => {
    p.sim.setFaults({ rules: [{ fault: 'revise' }] });
    const res = await http(p.baseUrl, 'POST', '/api/langgraph', body);
    expect(res.status).toBe(200);
    const { ok } = await expectAuditMatchesStory(p, res.body.id);
    expect(ok.map((a) => a.step)).toEqual([
      'draft',
      'critique-1',
      'revise-1',
      'critique-2',
      'revise-2',
      'critique-3',
      'revise-3',
      'critique-4',
    ]);
    expect(p.sim.stats().critique).toEqual({ pass: 0, revise: 4 });
  });

  it('LangGraph retry resumes from the last finished node: the draft is not paid for twice', async () => {
    p.sim.setFaults({
      rules: [
        { fault: 'revise', times: 1 },
        { fault: '500', times: 1, match: "Apply the editor's notes" },
      ],
    });
    const res = await http(p.baseUrl, 'POST', '/api/langgraph', body);
    expect(res.status).toBe(200);
    const { row, ok } = await expectAuditMatchesStory(p, res.body.id);
    const all = await auditRows(p, row.workflowId);
    expect(all.map((a) => [a.attempt, a.step, a.outcome, a.httpStatus])).toEqual([
      [1, 'draft', 'success', null],
      [1, 'critique-1', 'success', null],
      [1, 'revise-1', 'error', 500],
      [2, 'revise-1', 'success', null],
      [2, 'critique-2', 'success', null],
    ]);
    expect(ok.filter((a) => a.step === 'draft')).toHaveLength(1);
    // draft + critique + failed revise + revise + critique: nothing repeated but the failed call.
    expect(p.sim.stats().requests).toBe(5);
    expect(p.sim.stats().critique).toEqual({ pass: 1, revise: 1 });
    const run = await http(p.baseUrl, 'GET', `/api/runs/${encodeURIComponent(row.workflowId)}`);
    expect(run.body.status).toBe('COMPLETED');
  });

  it('a provider failure becomes a named 5xx, not a 400 or 500', async () => {
    p.sim.setFaults({ rules: [{ fault: '401' }] });
    const res = await http(p.baseUrl, 'POST', '/api/langchain', body);
    expect(res.status).toBe(502);
    expect(res.body.error.type).toBe('ProviderAuthenticationError');
    p.sim.setFaults({ rules: [{ fault: 'insufficient_quota' }] });
    const quota = await http(p.baseUrl, 'POST', '/api/semantic-kernel', body);
    expect(quota.status).toBe(503);
    expect(quota.body.error.type).toBe('ProviderQuotaExceeded');
  });
});

describe('provider headers reach the provider', () => {
  const generateAll = async (p: TestPlatform) => {
    const seen: Record<string, string>[] = [];
    // The openai SDK (Semantic Kernel) and LangChain's ChatOpenAI (LangChain, LangGraph).
    for (const slug of ['semantic-kernel', 'langchain', 'langgraph']) {
      const res = await http(p.baseUrl, 'POST', `/api/${slug}`, body);
      expect(res.status).toBe(200);
      seen.push(...p.sim.stats().recent.map((r) => r.headers));
      p.sim.reset();
    }
    expect(seen.length).toBeGreaterThanOrEqual(4);
    return seen;
  };

  it('custom provider: X-API-Key (redacted in stats), X-Provider-Type, X-Custom-Var', async () => {
    const p = await startTestPlatform({ PROVIDER_NAME: 'custom', CUSTOM_VAR: 'north-pole' });
    try {
      for (const h of await generateAll(p)) {
        expect(h['x-api-key']).toBe('[redacted]');
        expect(h['x-provider-type']).toBe('custom');
        expect(h['x-custom-var']).toBe('north-pole');
        expect(h['x-custom-data']).toBe('north-pole');
        expect(h['x-app-name']).toBe(p.config.env.APP_NAME);
        expect(h.authorization).toBe('[redacted]');
      }
    } finally {
      await p.close();
    }
  });

  it('openrouter: nothing extra', async () => {
    const p = await startTestPlatform({ PROVIDER_NAME: 'OpenRouter' });
    try {
      for (const h of await generateAll(p)) {
        expect(h['x-app-name']).toBeUndefined();
        expect(h['x-app-version']).toBeUndefined();
        expect(h['x-provider-type']).toBeUndefined();
        expect(h['x-api-key']).toBeUndefined();
      }
    } finally {
      await p.close();
    }
  });

  it('any other provider: X-App-Name and X-App-Version', async () => {
    const p = await startTestPlatform({ APP_NAME: 'Quillflow Test', APP_VERSION: '9.9.9' });
    try {
      for (const h of await generateAll(p)) {
        expect(h['x-app-name']).toBe('Quillflow Test');
        expect(h['x-app-version']).toBe('9.9.9');
        expect(h['x-provider-type']).toBeUndefined();
        expect(h['x-custom-var']).toBeUndefined();
      }
    } finally {
      await p.close();
    }
  });
});
