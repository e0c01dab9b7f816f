import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { addUsd } from '../common/money';
import { resolveTemporalCli } from '../temporal/dev-server/cli';
import { testTemporalAddress } from './temporal-env';
import { http, startTestPlatform, type TestPlatform } from './support/platform';
import { waitFor } from './support/wait';

/**
 * Issue 4 acceptance, runs over Temporal visibility: filters (the same query the Temporal CLI
 * takes), describe with input and cost, the readable history timeline, cancel, terminate and
 * re-run, all through the HTTP API against a real dev server.
 */
describe('runs API (real Temporal visibility, real CLI)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });
  beforeEach(() => p.sim.reset());

  const story = async (framework: string, guid: string, names = ['Ada', 'Grace']) => {
    const res = await http(
      p.baseUrl,
      'POST',
      '/api/stories',
      { primaryCharacter: names[0], secondaryCharacter: names[1], framework },
      { 'x-transaction-guid': guid },
    );
    expect(res.status).toBe(202);
    return res.body.workflowId as string;
  };
  const runs = async (query: string) => {
    const res = await http(p.baseUrl, 'GET', `/api/runs?${query}`);
    expect(res.status).toBe(200);
    return res.body as {
      runs: Array<{
        workflowId: string;
        status: string;
        searchAttributes: Record<string, unknown>;
      }>;
      nextPageToken: string | null;
      query: string;
    };
  };
  const ids = (r: { runs: Array<{ workflowId: string }> }) =>
    r.runs.map((x) => x.workflowId).sort();

  it("Framework='langgraph' finds exactly the langgraph runs, through the API and the real temporal CLI", async () => {
    const guid = randomUUID();
    const started = {
      langgraph: [
        await story('langgraph', guid),
        await story('langgraph', guid, ['Elf #1', 'Rudolph']),
      ],
      other: [
        await story('langchain', guid),
        await story('semantic-kernel', guid),
        await story('langchain', guid, ["O'Brien", 'José']),
      ],
    };
    await Promise.all(
      [...started.langgraph, ...started.other].map((id) =>
        p.temporal.client.workflow.getHandle(id).result(),
      ),
    );
    const expected = [...started.langgraph].sort();

    const api = await waitFor(
      'visibility to show the completed langgraph runs',
      () => runs(`framework=langgraph&correlationId=${guid}`),
      (r) => r.runs.length === 2 && r.runs.every((x) => x.status === 'COMPLETED'),
    );
    expect(api.query).toBe(`Framework = 'langgraph' AND CorrelationId = '${guid}'`);
    expect(ids(api)).toEqual(expected);
    expect(
      api.runs.every(
        (r) =>
          r.searchAttributes.Framework === 'langgraph' &&
          r.searchAttributes.GenerationState === 'completed',
      ),
    ).toBe(true);
    // Every filter narrows the same way; paging walks all of them.
    expect(
      ids(
        await runs(
          `framework=langgraph&correlationId=${guid}&type=story&status=Completed&origin=api&model=quillflow-sim-1`,
        ),
      ),
    ).toEqual(expected);
    expect(ids(await runs(`framework=langchain&correlationId=${guid}`))).toHaveLength(2);
    const page1 = await runs(`correlationId=${guid}&pageSize=3`);
    expect(page1.runs).toHaveLength(3);
    expect(page1.nextPageToken).toBeTruthy();
    const page2 = await runs(
      `correlationId=${guid}&pageSize=3&nextPageToken=${encodeURIComponent(page1.nextPageToken!)}`,
    );
    expect([...ids(page1), ...ids(page2)].sort()).toEqual(
      [...started.langgraph, ...started.other].sort(),
    );

    // The real CLI, with the query an operator would type.
    const cli = await resolveTemporalCli({ allowInstall: false, log: () => undefined });
    const list = async (query: string) => {
      const { stdout } = await promisify(execFile)(
        cli,
        [
          'workflow',
          'list',
          '--query',
          query,
          '--address',
          testTemporalAddress(),
          '-o',
          'json',
          '--limit',
          '1000',
        ],
        {
          timeout: 60_000,
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const parsed = JSON.parse(stdout || '[]') as Array<{ execution: { workflowId: string } }>;
      return parsed.map((e) => e.execution.workflowId);
    };
    expect((await list(`Framework='langgraph' AND CorrelationId='${guid}'`)).sort()).toEqual(
      expected,
    );
    // Unscoped, as in the README: all of ours that are langgraph, none of ours that are not.
    const all = new Set(await list("Framework='langgraph'"));
    for (const id of started.langgraph) expect(all.has(id)).toBe(true);
    for (const id of started.other) expect(all.has(id)).toBe(false);
  });

  it('describes a run with its input summary, cost and attempts, and shows a readable history with retries', async () => {
    p.sim.setFaults({ rules: [{ fault: '500', times: 2 }] });
    const id = await story('semantic_kernel', randomUUID(), ['Scrooge', 'Tiny Tim']);
    await p.temporal.client.workflow.getHandle(id).result();

    const run = await http(p.baseUrl, 'GET', `/api/runs/${id}`);
    expect(run.status).toBe(200);
    expect(run.body.input).toMatchObject({
      framework: 'semantic_kernel',
      primaryCharacter: 'Scrooge',
      secondaryCharacter: 'Tiny Tim',
      origin: 'api',
    });
    expect(run.body.cost.costUsd).toMatch(/^0\.\d{6}$/);
    expect(Number(run.body.cost.costUsd)).toBeGreaterThan(0);
    expect(run.body.cost.audited).toMatchObject({ attempts: 3, errors: 2 });
    expect(run.body.cost.audited.costUsd).toBe(run.body.cost.costUsd);
    expect(run.body.summary).toMatch(/Semantic Kernel story/);
    // Each attempt's cost is a 6-decimal string too, and they add up to the audited total.
    const attempts = run.body.attempts as { costUsd: string; outcome: string }[];
    expect(attempts.map((a) => a.outcome)).toEqual(['error', 'error', 'success']);
    for (const a of attempts) expect(a.costUsd).toMatch(/^\d+\.\d{6}$/);
    expect(addUsd(...attempts.map((a) => a.costUsd))).toBe(run.body.cost.audited.costUsd);

    const h = await http(p.baseUrl, 'GET', `/api/runs/${id}/history`);
    expect(h.status).toBe(200);
    const types = h.body.events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('WorkflowExecutionStarted');
    expect(types).toContain('ActivityTaskScheduled');
    expect(types).toContain('ActivityTaskCompleted');
    expect(types[types.length - 1]).toBe('WorkflowExecutionCompleted');
    expect(types).not.toContain('WorkflowTaskStarted'); // noise unless verbose
    const gen = h.body.activities.find(
      (a: { activityType: string }) => a.activityType === 'generateSemanticKernel',
    );
    expect(gen).toMatchObject({ status: 'completed', attempt: 3, retries: 2 });
    expect(gen.previousFailure).toMatch(/ProviderServerError/);
    expect(gen.durationMs).toBeGreaterThanOrEqual(gen.lastAttemptMs);
    expect(
      gen.llmAttempts.map((a: { attempt: number; outcome: string }) => [a.attempt, a.outcome]),
    ).toEqual([
      [1, 'error'],
      [2, 'error'],
      [3, 'success'],
    ]);
    expect(
      h.body.activities.find((a: { activityType: string }) => a.activityType === 'persistStory'),
    ).toMatchObject({ status: 'completed', attempt: 1 });
    const verbose = await http(p.baseUrl, 'GET', `/api/runs/${id}/history?verbose=true`);
    expect(verbose.body.events.length).toBe(verbose.body.eventCount);
    expect(verbose.body.events.length).toBeGreaterThan(h.body.events.length);
  });

  it('shows a batch run with its children in the timeline (child-run items)', async () => {
    const res = await http(p.baseUrl, 'POST', '/api/batches', {
      items: [{ primaryCharacter: 'Ann', secondaryCharacter: 'Ben' }],
      frameworks: ['langchain', 'langgraph'],
      itemMode: 'workflow',
    });
    expect(res.status).toBe(202);
    await p.temporal.client.workflow.getHandle(res.body.batchId).result();
    const h = await http(p.baseUrl, 'GET', `/api/runs/${res.body.batchId}/history`);
    expect(
      h.body.children.map((c: { workflowId: string; status: string }) => [c.workflowId, c.status]),
    ).toEqual([
      [`${res.body.batchId}/item-0`, 'completed'],
      [`${res.body.batchId}/item-1`, 'completed'],
    ]);
    const run = await http(p.baseUrl, 'GET', `/api/runs/${res.body.batchId}`);
    expect(run.body.input).toMatchObject({
      source: 'pairs',
      pairs: 1,
      frameworks: ['langchain', 'langgraph'],
      totalItems: 2,
    });
    expect(run.body.result).toMatchObject({ completed: 2 });
    const child = await http(
      p.baseUrl,
      'GET',
      `/api/runs/${encodeURIComponent(`${res.body.batchId}/item-1`)}`,
    );
    expect(child.body).toMatchObject({
      parentWorkflowId: res.body.batchId,
      input: { framework: 'langgraph', origin: 'batch', batchId: res.body.batchId },
    });
  });

  it('cancels, terminates and re-runs; actions on closed runs are 409, unknown runs 404', async () => {
    p.sim.setLatency(10_000); // keep the generations in flight
    const a = await story('langchain', randomUUID(), ['Cat', 'Dog']);
    const b = await story('langchain', randomUUID(), ['Sun', 'Moon']);
    // In flight: its pending activity's state is named, as Temporal's enum names it.
    const pending = await waitFor(
      'a pending activity',
      async () =>
        (await http(p.baseUrl, 'GET', `/api/runs/${b}`)).body.pendingActivities as
          { activityType: string; state: string }[] | undefined,
      (list) => (list?.length ?? 0) > 0,
    );
    expect(['SCHEDULED', 'STARTED']).toContain(pending![0].state);
    expect((await http(p.baseUrl, 'POST', `/api/runs/${a}/cancel`)).status).toBe(202);
    await waitFor(
      'the cancellation',
      async () => (await http(p.baseUrl, 'GET', `/api/runs/${a}`)).body.status,
      (s) => s === 'CANCELLED',
    );
    expect((await http(p.baseUrl, 'POST', `/api/runs/${a}/cancel`)).status).toBe(409);

    expect((await http(p.baseUrl, 'POST', `/api/runs/${b}/terminate`, {})).status).toBe(422);
    const t = await http(p.baseUrl, 'POST', `/api/runs/${b}/terminate`, {
      reason: 'operator test',
    });
    expect(t.status).toBe(200);
    const term = await http(p.baseUrl, 'GET', `/api/runs/${b}`);
    expect(term.body.status).toBe('TERMINATED');
    expect(term.body.failure).toMatchObject({ type: 'Terminated', message: 'operator test' });
    expect(
      (await http(p.baseUrl, 'POST', `/api/runs/${b}/terminate`, { reason: 'again' })).status,
    ).toBe(409);
    const history = await http(p.baseUrl, 'GET', `/api/runs/${b}/history`);
    expect(history.body.events[history.body.events.length - 1].summary).toBe(
      'workflow terminated: operator test',
    );

    p.sim.setLatency(0);
    const rerun = await http(p.baseUrl, 'POST', `/api/runs/${b}/rerun`);
    expect(rerun.status).toBe(202);
    expect(rerun.body.rerunOf).toBe(b);
    expect(rerun.body.workflowId).not.toBe(b);
    const result = await p.temporal.client.workflow.getHandle(rerun.body.workflowId).result();
    expect(result).toMatchObject({
      primaryCharacter: 'Sun',
      secondaryCharacter: 'Moon',
      framework: 'langchain',
    });

    for (const [m, path] of [
      ['GET', '/api/runs/story-nope'],
      ['GET', '/api/runs/story-nope/history'],
      ['POST', '/api/runs/story-nope/cancel'],
      ['POST', '/api/runs/story-nope/rerun'],
    ] as const) {
      expect([path, (await http(p.baseUrl, m, path)).status]).toEqual([path, 404]);
    }
    expect(
      (await http(p.baseUrl, 'POST', '/api/runs/story-nope/terminate', { reason: 'x' })).status,
    ).toBe(404);
  });

  it.each([
    ['framework=crewai', 'framework'],
    ['status=Running%20OR%201%3D1', 'status'],
    ["model=gpt'%20OR%20'1'%3D'1", 'model'],
    ['batchId=%27x%27', 'batchId'],
    ['type=shell', 'type'],
    ['from=yesterday', 'from'],
    ['pageSize=5000', 'pageSize'],
    ['unknown=1', 'unknown'],
  ])('rejects the filter %s with 422 naming it', async (query, field) => {
    const res = await http(p.baseUrl, 'GET', `/api/runs?${query}`);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error)).toContain(field);
  });

  // Issue 19: Temporal parses run IDs as UUIDs; a 36-character non-UUID was a 500 (INVALID_ARGUMENT).
  it.each([
    'a'.repeat(36),
    '-'.repeat(36),
    '0F8FAD5B-D9CB-469F-A165-70867728950E',
    '0f8fad5bd9cb469fa16570867728950e',
  ])('refuses the history runId %s with 422 naming runId', async (runId) => {
    const res = await http(p.baseUrl, 'GET', `/api/runs/story-nope/history?runId=${runId}`);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'query -> runId' })]);
  });

  it('answers 404 for a well-formed run ID that is not a run of the workflow', async () => {
    const id = await story('langchain', randomUUID());
    await p.temporal.client.workflow.getHandle(id).result();
    const res = await http(p.baseUrl, 'GET', `/api/runs/${id}/history?runId=${randomUUID()}`);
    expect(res.status).toBe(404);
  });
});
