import { diedAttemptRow } from './support/audit-rows';
import { http, startTestPlatform, type TestPlatform } from './support/platform';

/**
 * Issue 2 acceptance: a story from HTTP to the database through a real Temporal dev server,
 * idempotency, retries with an audit row per attempt, non-retryable failures, and 4xx for
 * every kind of bad input with nothing started.
 */
describe('story flow (real Temporal, real DB, simulator over HTTP)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });
  beforeEach(() => p.sim.reset());

  it('posts a story, runs the workflow and stores it with tokens, cost, provider, model, framework and correlation id', async () => {
    const guid = 'a1b2c3d4-0000-4000-8000-000000000001';
    const res = await http(
      p.baseUrl,
      'POST',
      '/api/stories?wait=true',
      {
        primaryCharacter: "O'Brien",
        secondaryCharacter: 'José',
        framework: 'semantic-kernel',
      },
      { 'x-transaction-guid': guid },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('x-transaction-guid')).toBe(guid);
    expect(res.body.story.length).toBeGreaterThan(50);
    expect(res.body.framework).toBe('semantic_kernel');

    const row = await p.prisma.story.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row.primaryCharacter).toBe("O'Brien");
    expect(row.secondaryCharacter).toBe('José');
    expect(row.method).toBe('semantic_kernel');
    expect(row.provider).toBe('simulator');
    expect(row.model).toBe('quillflow-sim-1');
    expect(row.correlationId).toBe(guid);
    expect(row.requestId).toBe(res.headers.get('x-request-id'));
    expect(row.inputTokens).toBeGreaterThan(0);
    expect(row.outputTokens).toBeGreaterThan(0);
    expect(row.totalTokens).toBe(row.inputTokens! + row.outputTokens!);
    expect(Number(row.estimatedCostUsd)).toBeGreaterThan(0);
    expect(row.workflowId).toBe(res.body.workflow_id);

    const story = await http(p.baseUrl, 'GET', `/api/stories/${row.id}`);
    expect(story.status).toBe(200);
    expect(story.body.story_content).toBe(row.storyContent);

    const run = await http(p.baseUrl, 'GET', `/api/runs/${encodeURIComponent(row.workflowId)}`);
    expect(run.status).toBe(200);
    expect(run.body.status).toBe('COMPLETED');
    expect(run.body.result.storyId).toBe(row.id);
    expect(run.body.attemptCount).toBe(1);
    expect(run.body.searchAttributes.Framework).toBe('semantic_kernel');
    expect(run.body.searchAttributes.GenerationState).toBe('completed');
  });

  it('returns 202 with the workflow id at once and the run can be read back', async () => {
    const res = await http(p.baseUrl, 'POST', '/api/stories', {
      primaryCharacter: 'Alice',
      secondaryCharacter: 'Bob',
      framework: 'langchain',
    });
    expect(res.status).toBe(202);
    expect(res.body.workflowId).toMatch(/^story-[0-9a-f-]{36}$/);
    expect(res.headers.get('location')).toBe(`/api/runs/${res.body.workflowId}`);
    await p.temporal.client.workflow.getHandle(res.body.workflowId).result();
    const run = await http(p.baseUrl, 'GET', res.body.links.run);
    expect(run.body.status).toBe('COMPLETED');
    const rows = await p.prisma.story.count({ where: { workflowId: res.body.workflowId } });
    expect(rows).toBe(1);
  });

  it('posting twice with the same Idempotency-Key yields one workflow and one row', async () => {
    const body = {
      primaryCharacter: 'Elf #1',
      secondaryCharacter: 'Rudolph',
      framework: 'langchain',
    };
    const headers = { 'idempotency-key': `idem-${Date.now()}` };
    const [a, b] = await Promise.all([
      http(p.baseUrl, 'POST', '/api/stories', body, headers),
      http(p.baseUrl, 'POST', '/api/stories', body, headers),
    ]);
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(a.body.workflowId).toBe(b.body.workflowId);
    expect(a.body.runId).toBe(b.body.runId);
    await p.temporal.client.workflow.getHandle(a.body.workflowId).result();
    // After completion a third identical POST still maps to the same run.
    const c = await http(p.baseUrl, 'POST', '/api/stories?wait=true', body, headers);
    expect(c.status).toBe(201);
    expect(c.body.workflow_id).toBe(a.body.workflowId);
    expect(await p.prisma.story.count({ where: { workflowId: a.body.workflowId } })).toBe(1);
    expect(p.sim.stats().requests).toBe(1);
    // Same key, different request: refused, nothing started.
    const d = await http(
      p.baseUrl,
      'POST',
      '/api/stories',
      { ...body, secondaryCharacter: 'Comet' },
      headers,
    );
    expect(d.status).toBe(409);
    expect(d.body.error.type).toBe('IdempotencyKeyReused');
  });

  it('retries 500 twice then succeeds: one story, three audited attempts', async () => {
    p.sim.setFaults({ rules: [{ fault: '500', times: 2 }] });
    const res = await http(p.baseUrl, 'POST', '/api/stories?wait=true', {
      primaryCharacter: 'Scrooge',
      secondaryCharacter: 'Tiny Tim',
      framework: 'semantic_kernel',
    });
    expect(res.status).toBe(201);
    const wf = res.body.workflow_id as string;
    expect(await p.prisma.story.count({ where: { workflowId: wf } })).toBe(1);
    const attempts = await p.prisma.llmCallAttempt.findMany({
      where: { workflowId: wf },
      orderBy: { attempt: 'asc' },
    });
    expect(attempts.map((a) => [a.attempt, a.outcome, a.httpStatus])).toEqual([
      [1, 'error', 500],
      [2, 'error', 500],
      [3, 'success', null],
    ]);
    expect(attempts[0].errorType).toBe('ProviderServerError');
    expect(p.sim.stats().requests).toBe(3);
    const run = await http(p.baseUrl, 'GET', `/api/runs/${encodeURIComponent(wf)}`);
    expect(run.body.attemptCount).toBe(3);
  });

  it('a 400 from the provider fails the workflow at once with a clear error', async () => {
    p.sim.setFaults({ rules: [{ fault: '400', times: 1 }] });
    const res = await http(p.baseUrl, 'POST', '/api/stories', {
      primaryCharacter: 'Grinch',
      secondaryCharacter: 'Cindy Lou',
      framework: 'langchain',
    });
    expect(res.status).toBe(202);
    await expect(
      p.temporal.client.workflow.getHandle(res.body.workflowId).result(),
    ).rejects.toThrow();
    const run = await http(p.baseUrl, 'GET', `/api/runs/${res.body.workflowId}`);
    expect(run.body.status).toBe('FAILED');
    expect(run.body.failure.type).toBe('ProviderBadRequest');
    expect(run.body.failure.nonRetryable).toBe(true);
    expect(run.body.attemptCount).toBe(1);
    expect(p.sim.stats().requests).toBe(1);
    expect(await p.prisma.story.count({ where: { workflowId: res.body.workflowId } })).toBe(0);
  });

  it('a failed story marks lost the attempts it left pending (a worker that died mid-call)', async () => {
    p.sim.setLatency(1_500, 0); // room to add the dead attempt's row while the run is on
    p.sim.setFaults({ rules: [{ fault: '400', times: 1 }] });
    const res = await http(p.baseUrl, 'POST', '/api/stories', {
      primaryCharacter: 'Marley',
      secondaryCharacter: 'Fezziwig',
      framework: 'semantic_kernel',
    });
    expect(res.status).toBe(202);
    const wf = res.body.workflowId as string;
    const died = await p.prisma.llmCallAttempt.create({
      data: diedAttemptRow(wf, 'storyWorkflow', 'generateSemanticKernel'),
    });
    await expect(p.temporal.client.workflow.getHandle(wf).result()).rejects.toThrow();
    const rows = await p.prisma.llmCallAttempt.findMany({
      where: { workflowId: wf },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => [r.id === died.id ? 'died' : 'ran', r.outcome, r.errorType])).toEqual([
      ['died', 'lost', 'AttemptLost'],
      ['ran', 'error', 'ProviderBadRequest'],
    ]);
  });

  describe('bad input gets a 4xx naming the field and starts nothing', () => {
    const valid = { primaryCharacter: 'Alice', secondaryCharacter: 'Bob', framework: 'langchain' };
    it.each([
      [
        'missing field',
        { primaryCharacter: 'Alice', framework: 'langchain' },
        422,
        'secondaryCharacter',
      ],
      ['empty name', { ...valid, primaryCharacter: '' }, 422, 'primaryCharacter'],
      [
        'over-long name',
        { ...valid, secondaryCharacter: 'x'.repeat(101) },
        422,
        'secondaryCharacter',
      ],
      ['identical names', { ...valid, secondaryCharacter: 'ALICE' }, 422, 'secondaryCharacter'],
      ['unknown framework', { ...valid, framework: 'crewai' }, 422, 'framework'],
      ['wrong type', { ...valid, primaryCharacter: 42 }, 422, 'primaryCharacter'],
      ['unknown field', { ...valid, extra: 1 }, 422, 'extra'],
      ['array body', [valid], 422, 'body'],
    ])('%s', async (_name, body, status, field) => {
      const before = p.sim.stats().requests;
      const res = await http(p.baseUrl, 'POST', '/api/stories', body);
      expect(res.status).toBe(status);
      expect(res.body.error.type).toBe('ValidationError');
      expect(JSON.stringify(res.body.error)).toContain(field);
      expect(p.sim.stats().requests).toBe(before);
    });

    it('malformed JSON', async () => {
      const res = await http(p.baseUrl, 'POST', '/api/stories', '{"primaryCharacter": "A",', {
        'content-type': 'application/json',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/JSON/);
    });

    it('not-a-number story id and unknown story/run ids', async () => {
      expect((await http(p.baseUrl, 'GET', '/api/stories/abc')).status).toBe(422);
      expect((await http(p.baseUrl, 'GET', '/api/stories/999999')).status).toBe(404);
      expect((await http(p.baseUrl, 'GET', '/api/runs/story-does-not-exist')).status).toBe(404);
    });
  });
});
