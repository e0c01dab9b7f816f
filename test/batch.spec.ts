import { http, startTestPlatform, type TestPlatform } from './support/platform';
import { pause, waitFor } from './support/wait';
import { generateFrom } from './support/batch-names';
import { usd } from '../common/money';

/**
 * Issue 4 acceptance, batches: a 200-item batch in a window of 10, pause/resume, cancel, the
 * budget cap, forced continue-as-new, retry of failed items and the SSE progress stream, all
 * through the HTTP API on a real Temporal dev server, a real database and the simulator.
 */

// Batches run hundreds of child workflows: on a loaded machine they need more than the default.
jest.setTimeout(300_000);

describe('batches (real Temporal, real DB, simulator over HTTP)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });
  beforeEach(() => p.sim.reset());

  const start = async (body: Record<string, unknown>) => {
    const res = await http(p.baseUrl, 'POST', '/api/batches', body);
    expect(res.status).toBe(202);
    expect(res.body.batchId).toMatch(/^batch-[0-9a-f-]{36}$/);
    return res.body.batchId as string;
  };
  const get = async (id: string, query = '') =>
    (await http(p.baseUrl, 'GET', `/api/batches/${id}${query}`)).body;
  const closed = (id: string, timeoutMs = 240_000) =>
    waitFor(
      'the batch to close',
      () => get(id),
      (b) => b.status !== 'RUNNING',
      { timeoutMs, everyMs: 200 },
    );
  const storyRows = (batchId: string) =>
    p.prisma.story.findMany({
      where: { batchId },
      select: { id: true, workflowId: true, method: true },
    });

  it('a 200-item batch (child runs) with a window of 10 makes exactly 200 stories', async () => {
    const id = await start({
      generate: generateFrom(100),
      frameworks: ['semantic-kernel', 'langchain'],
      concurrency: 10,
      itemMode: 'workflow',
    });
    let maxRunning = 0;
    const done = await waitFor(
      'the batch to finish',
      async () => {
        const b = await get(id);
        maxRunning = Math.max(maxRunning, b.progress.running);
        return b;
      },
      (b) => b.status !== 'RUNNING',
      { timeoutMs: 240_000, everyMs: 1_000 },
    );
    expect(done.status).toBe('COMPLETED');
    expect(done.report).toMatchObject({
      state: 'completed',
      total: 200,
      completed: 200,
      failed: 0,
      notStarted: 0,
      stopReason: null,
    });
    expect(maxRunning).toBeGreaterThan(0);
    expect(maxRunning).toBeLessThanOrEqual(10);

    const rows = await storyRows(id);
    expect(rows).toHaveLength(200);
    const ids = new Set(rows.map((r) => r.workflowId));
    expect(ids.size).toBe(200);
    for (let n = 0; n < 200; n++) expect(ids.has(`${id}/item-${n}`)).toBe(true);
    expect(rows.filter((r) => r.method === 'langchain')).toHaveLength(100);

    const row = await p.prisma.batch.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'completed', completed: 200, failed: 0, totalItems: 200 });
    expect(Number(row.spentUsd)).toBeGreaterThan(0);
    expect(row.finishedAt).not.toBeNull();

    const page = await get(id, '?skip=190&limit=50');
    expect(page.items.total).toBe(200);
    expect(page.items.stories).toHaveLength(10);
    const list = await http(p.baseUrl, 'GET', '/api/batches?limit=500');
    expect(list.body.batches.map((b: { batchId: string }) => b.batchId)).toContain(id);
    // Money as everywhere in Quillflow's own routes: 6-decimal strings.
    const listed = list.body.batches.find((b: { batchId: string }) => b.batchId === id);
    expect(listed).toMatchObject({ spentUsd: usd(row.spentUsd.toString()), budgetUsd: null });
    expect(listed.spentUsd).toMatch(/^\d+\.\d{6}$/);

    // The workflow result is the same report.
    const result = await p.temporal.client.workflow.getHandle(id).result();
    expect(result.completed).toBe(200);
    expect(JSON.parse(row.report!).completed).toBe(200);

    // Items report ids and costs, not their stories: the texts stay out of the batch's history.
    const handle = p.temporal.client.workflow.getHandle(id);
    const history = await handle.fetchHistory();
    const itemResults = (history.events ?? []).flatMap(
      (e) => e.childWorkflowExecutionCompletedEventAttributes?.result?.payloads ?? [],
    );
    expect(itemResults).toHaveLength(200);
    const byStoryId = new Map(rows.map((r) => [r.id, r]));
    for (const payload of itemResults) {
      const item = JSON.parse(Buffer.from(payload.data!).toString('utf8'));
      expect(item).not.toHaveProperty('story');
      expect(item.storyInDatabase).toBe(true);
      expect(byStoryId.get(item.storyId)?.workflowId).toBe(item.workflowId);
    }
    const sizeBytes = Number((await handle.describe()).raw.workflowExecutionInfo?.historySizeBytes);
    console.log(
      `batch history: ${sizeBytes} bytes for 200 items (${Math.round(sizeBytes / 200)} per item)`,
    );
    // An item's run still shows where its story is; the story route has the text.
    const run = await http(p.baseUrl, 'GET', `/api/runs/${encodeURIComponent(`${id}/item-0`)}`);
    expect(run.body.result).toMatchObject({ storyInDatabase: true });
    const story = await http(p.baseUrl, 'GET', `/api/stories/${run.body.result.storyId}`);
    expect(story.body.story_content.length).toBeGreaterThan(50);
  });

  it('a batch of item activities (the default): one story per item, each item found with its attempts and cost', async () => {
    const id = await start({
      generate: generateFrom(20),
      frameworks: ['semantic-kernel', 'langgraph'],
      concurrency: 8,
    });
    const done = await closed(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.report).toMatchObject({ state: 'completed', total: 40, completed: 40, failed: 0 });
    const rows = await storyRows(id);
    expect(new Set(rows.map((r) => r.workflowId))).toEqual(
      new Set(Array.from({ length: 40 }, (_, n) => `${id}/item-${n}`)),
    );
    // No run of its own per item: the items are activities of the batch, their results ids and costs.
    const runs = await http(p.baseUrl, 'GET', `/api/runs?batchId=${id}&type=story&pageSize=100`);
    expect(runs.body.runs).toHaveLength(0);
    const history = await p.temporal.client.workflow.getHandle(id).fetchHistory();
    const scheduled = (history.events ?? []).flatMap((e) => {
      const a = e.activityTaskScheduledEventAttributes;
      return a?.activityType?.name === 'runBatchItem' ? [a.activityId] : [];
    });
    expect(scheduled.sort()).toEqual(Array.from({ length: 40 }, (_, n) => `item-${n}`).sort());
    const results = (history.events ?? []).flatMap(
      (e) => e.activityTaskCompletedEventAttributes?.result?.payloads ?? [],
    );
    const items = results
      .filter((r) => r.data?.length) // void results (openBatch, finishBatch) carry no data
      .map(
        (r) => JSON.parse(Buffer.from(r.data!).toString('utf8')) as Record<string, unknown> | null,
      )
      .filter(
        (r): r is Record<string, unknown> => r !== null && typeof r === 'object' && 'storyId' in r,
      );
    expect(items).toHaveLength(40);
    for (const item of items)
      expect(Object.keys(item).sort()).toEqual([
        'costUsd',
        'generated',
        'llmCalls',
        'storyId',
        'totalTokens',
      ]);
    // Any item: its story (cost) and its audited attempts (cost), under the item's key.
    const detail = await get(id, '?limit=100');
    const item7 = detail.items.stories.find(
      (st: { workflowId: string }) => st.workflowId === `${id}/item-7`,
    );
    const attempts = await http(
      p.baseUrl,
      'GET',
      `/api/audit?workflowId=${encodeURIComponent(`${id}/item-7`)}`,
    );
    expect(attempts.body.total).toBeGreaterThan(0);
    expect(
      attempts.body.items.every(
        (a: { workflowId: string; activityType: string; workflowType: string }) =>
          a.workflowId === `${id}/item-7` &&
          a.activityType === 'runBatchItem' &&
          a.workflowType === 'batchWorkflow',
      ),
    ).toBe(true);
    expect(attempts.body.totals.costUsd).toBe(item7.costUsd);
    // Each attempt links to the run that made the call: the batch's.
    expect(
      new Set(attempts.body.items.map((a: { links: { run: string } }) => a.links.run)),
    ).toEqual(new Set([`/api/runs/${encodeURIComponent(id)}`]));
    const story = await http(p.baseUrl, 'GET', `/api/stories/${item7.storyId}`);
    expect(story.body.story_content.length).toBeGreaterThan(50);
    // The batch says its mode; a run lookup of an item says where the item is instead.
    expect(detail.spec.itemMode).toBe('activity');
    const run = await http(p.baseUrl, 'GET', `/api/runs/${encodeURIComponent(`${id}/item-7`)}`);
    expect(run.status).toBe(404);
    expect(run.body.error.code).toBe('BATCH_ITEM_ACTIVITY');
    expect(run.body.detail).toContain(`/api/runs/${encodeURIComponent(id)}`);
    const unknownItem = await http(
      p.baseUrl,
      'GET',
      `/api/runs/${encodeURIComponent(`${id}x/item-7`)}`,
    );
    expect(unknownItem.status).toBe(404);
    expect(unknownItem.body.error.code).toBe('NOT_FOUND');
  });

  it('pause stops new starts, resume continues to the end', async () => {
    p.sim.setLatency(150);
    const id = await start({
      generate: generateFrom(24),
      frameworks: ['langchain'],
      concurrency: 3,
    });
    await waitFor(
      'a few items',
      () => get(id),
      (b) => b.progress.completed >= 3,
    );
    const paused = await http(p.baseUrl, 'POST', `/api/batches/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.state).toMatch(/paused|finishing/);
    const drained = await waitFor(
      'running items to finish',
      () => get(id),
      (b) => b.progress.running === 0 && b.progress.state === 'paused',
    );
    const requests = p.sim.stats().requests;
    // Nothing must happen while paused: this wait checks an absence, so it is a fixed one.
    await pause(1_200);
    const still = await get(id);
    expect(p.sim.stats().requests).toBe(requests);
    expect(still.progress.completed).toBe(drained.progress.completed);
    expect(still.progress.pending).toBeGreaterThan(0);
    expect(still.status).toBe('RUNNING');

    const resumed = await http(p.baseUrl, 'POST', `/api/batches/${id}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.state).toBe('running');
    const done = await closed(id);
    expect(done.report).toMatchObject({ state: 'completed', completed: 24, failed: 0 });
    expect(await storyRows(id)).toHaveLength(24);
    // Closed: controls are refused.
    expect((await http(p.baseUrl, 'POST', `/api/batches/${id}/pause`)).status).toBe(409);
  });

  it('cancel stops cleanly: running children cancelled, nothing new started, report written', async () => {
    p.sim.setLatency(300);
    const id = await start({
      generate: generateFrom(30),
      frameworks: ['semantic_kernel'],
      concurrency: 4,
    });
    await waitFor(
      'a few items',
      () => get(id),
      (b) => b.progress.completed >= 2,
    );
    const res = await http(p.baseUrl, 'POST', `/api/batches/${id}/cancel`);
    expect(res.status).toBe(202);
    const done = await closed(id);
    expect(done.status).toBe('CANCELLED');
    expect(done.report).toMatchObject({ state: 'cancelled', stopReason: 'cancelled', running: 0 });
    expect(done.report.notStarted).toBeGreaterThan(0);
    expect(
      done.report.completed + done.report.failed + done.report.cancelled + done.report.notStarted,
    ).toBe(30);
    const row = await p.prisma.batch.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('cancelled');
    expect(row.stopReason).toBe('cancelled');

    // No child of the batch is left running.
    await waitFor(
      'no running children',
      async () => {
        const r = await http(p.baseUrl, 'GET', `/api/runs?batchId=${id}&status=Running&type=story`);
        return r.body.runs.length as number;
      },
      (n) => n === 0,
    );
    const requests = p.sim.stats().requests;
    await pause(800);
    expect(p.sim.stats().requests).toBe(requests);
    // A story may have been stored by an item cancelled while it was persisting, never more.
    const stories = (await storyRows(id)).length;
    expect(stories).toBeGreaterThanOrEqual(done.report.completed);
    expect(stories).toBeLessThanOrEqual(done.report.completed + done.report.cancelled);
    expect((await http(p.baseUrl, 'POST', `/api/batches/${id}/cancel`)).status).toBe(409);
  });

  it('a budget cap stops new items and the report says so', async () => {
    const id = await start({
      generate: generateFrom(40),
      frameworks: ['semantic_kernel'],
      concurrency: 2,
      budgetUsd: '0.002',
    });
    const done = await closed(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.report.state).toBe('stopped');
    expect(done.report.stopReason).toBe('budget');
    expect(done.report.notStarted).toBeGreaterThan(0);
    expect(done.report.completed).toBeLessThan(40);
    // A cap, not a stop signal: items start only while their worst case fits (issue 14).
    expect(done.report.completed).toBeGreaterThan(0);
    expect(Number(done.report.costUsd)).toBeGreaterThan(0);
    expect(Number(done.report.costUsd)).toBeLessThanOrEqual(0.002);
    expect(done.report).toMatchObject({ reservedUsd: '0.000000', overshootUsd: '0.000000' });
    expect(await storyRows(id)).toHaveLength(done.report.completed);
    const row = await p.prisma.batch.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'stopped', stopReason: 'budget' });
    const list = await http(p.baseUrl, 'GET', '/api/batches?status=stopped&limit=500');
    expect(list.body.batches.find((b: { batchId: string }) => b.batchId === id)).toMatchObject({
      budgetUsd: '0.002000',
      spentUsd: usd(row.spentUsd.toString()),
    });
  });

  it('a forced continue-as-new (every 7 starts, child runs) loses and duplicates nothing', async () => {
    const id = await start({
      generate: generateFrom(20),
      frameworks: ['semantic_kernel', 'langgraph'],
      concurrency: 5,
      continueAsNewAfter: 7,
      itemMode: 'workflow',
    });
    const done = await closed(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.report).toMatchObject({ state: 'completed', total: 40, completed: 40, failed: 0 });
    expect(done.report.runs).toBeGreaterThanOrEqual(6);
    const rows = await storyRows(id);
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.workflowId)).size).toBe(40);
    // Temporal agrees: exactly one execution per item, all completed.
    const children = await waitFor(
      'visibility to list every child',
      async () =>
        (await http(p.baseUrl, 'GET', `/api/runs?batchId=${id}&type=story&pageSize=100`)).body
          .runs as Array<{ workflowId: string; status: string }>,
      (runs) => runs.length >= 40 && runs.every((r) => r.status === 'COMPLETED'),
    );
    expect(children).toHaveLength(40);
    expect(new Set(children.map((c) => c.workflowId)).size).toBe(40);
    // The batch's own runs: one per continue-as-new.
    const runs = await waitFor(
      'the batch runs in visibility',
      async () =>
        (await http(p.baseUrl, 'GET', `/api/runs?batchId=${id}&type=batch&pageSize=100`)).body
          .runs as Array<{ status: string }>,
      (r) => r.length === done.report.runs,
    );
    expect(runs.filter((r) => r.status === 'CONTINUED_AS_NEW')).toHaveLength(done.report.runs - 1);
  });

  it('retry-failed reruns the failed items of a completed batch under the same item IDs', async () => {
    p.sim.setFaults({ rules: [{ fault: '400', times: 3 }] });
    const id = await start({
      generate: generateFrom(10),
      frameworks: ['langchain'],
      concurrency: 1,
    });
    const first = await closed(id);
    expect(first.report).toMatchObject({ state: 'completed', completed: 7, failed: 3 });
    expect(first.failedItems).toHaveLength(3);
    expect(first.failedItems[0].error).toMatch(/ProviderBadRequest/);
    expect(await storyRows(id)).toHaveLength(7);

    const retry = await http(p.baseUrl, 'POST', `/api/batches/${id}/retry-failed`);
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ queued: 3, reopened: true });
    const second = await waitFor(
      'the retried batch',
      () => get(id),
      (b) => b.status === 'COMPLETED' && b.report?.completed === 10,
    );
    expect(second.report).toMatchObject({ completed: 10, failed: 0, runs: 2 });
    const rows = await storyRows(id);
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r) => r.workflowId)).size).toBe(10);
    // Nothing left to retry.
    expect((await http(p.baseUrl, 'POST', `/api/batches/${id}/retry-failed`)).status).toBe(409);
  });

  it('retry-failed on a running batch queues the failed items as a group (Update)', async () => {
    p.sim.setFaults({ rules: [{ fault: '400', times: 2 }] });
    p.sim.setLatency(300);
    const id = await start({
      generate: generateFrom(10),
      frameworks: ['langchain'],
      concurrency: 1,
    });
    await waitFor(
      'two failed items',
      () => get(id),
      (b) => b.progress.failed === 2,
    );
    const retry = await http(p.baseUrl, 'POST', `/api/batches/${id}/retry-failed`);
    expect(retry.status).toBe(202);
    expect(retry.body.queued).toBe(2);
    const done = await closed(id);
    expect(done.report).toMatchObject({ state: 'completed', completed: 10, failed: 0 });
    expect(await storyRows(id)).toHaveLength(10);
  });

  it('changes the window while running and streams progress over SSE until the batch closes', async () => {
    p.sim.setLatency(50);
    const id = await start({
      items: [
        { primaryCharacter: 'Ada', secondaryCharacter: 'Grace' },
        { primaryCharacter: "O'Brien", secondaryCharacter: 'José' },
      ],
      frameworks: ['langchain', 'semantic-kernel', 'langgraph'],
      concurrency: 1,
    });
    const c = await http(p.baseUrl, 'POST', `/api/batches/${id}/concurrency`, { concurrency: 3 });
    expect([200, 409]).toContain(c.status); // 409 only if it already finished
    if (c.status === 200) expect(c.body.concurrency).toBe(3);
    expect(
      (await http(p.baseUrl, 'POST', `/api/batches/${id}/concurrency`, { concurrency: 0 })).status,
    ).toBe(422);

    const res = await fetch(`${p.baseUrl}/api/batches/${id}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text(); // the stream ends when the batch closes
    const events = text
      .split('\n\n')
      .filter((b) => b.includes('data:'))
      .map((b) => ({
        type: /event: (\w+)/.exec(b)?.[1],
        data: JSON.parse(/data: (.*)/.exec(b)![1]),
      }));
    expect(events.length).toBeGreaterThanOrEqual(1);
    const last = events[events.length - 1];
    expect(last.type).toBe('closed');
    expect(last.data).toMatchObject({ state: 'completed', completed: 6, total: 6 });
  });

  describe('bad requests get a 4xx and start nothing', () => {
    const ok = {
      generate: { count: 2, primaryNames: ['A1'], secondaryNames: ['B1'] },
      frameworks: ['langchain'],
    };
    it.each([
      [
        'too many items',
        {
          ...ok,
          generate: { count: 50_000, primaryNames: ['A1'], secondaryNames: ['B1'] },
          frameworks: ['langchain', 'langgraph', 'semantic-kernel'],
        },
        'generate',
      ],
      [
        'count over the cap',
        { ...ok, generate: { count: 100_001, primaryNames: ['A1'], secondaryNames: ['B1'] } },
        'count',
      ],
      ['concurrency 0', { ...ok, concurrency: 0 }, 'concurrency'],
      ['concurrency 501', { ...ok, concurrency: 501 }, 'concurrency'],
      ['negative budget', { ...ok, budgetUsd: -1 }, 'budgetUsd'],
      [
        'both items and generate',
        { ...ok, items: [{ primaryCharacter: 'A', secondaryCharacter: 'B' }] },
        'items',
      ],
      ['neither', { frameworks: ['langchain'] }, 'items'],
      [
        'same names in a pair',
        { items: [{ primaryCharacter: 'A', secondaryCharacter: 'a' }], frameworks: ['langchain'] },
        'secondaryCharacter',
      ],
      [
        'no different secondary',
        {
          generate: { count: 2, primaryNames: ['Ann'], secondaryNames: ['ann'] },
          frameworks: ['langchain'],
        },
        'secondaryNames',
      ],
      ['unknown framework', { ...ok, frameworks: ['crewai'] }, 'frameworks'],
    ])('%s', async (_n, body, field) => {
      const res = await http(p.baseUrl, 'POST', '/api/batches', body);
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body.error)).toContain(field);
    });

    it('unknown batches are 404 everywhere', async () => {
      for (const [m, path] of [
        ['GET', '/api/batches/batch-00000000-0000-4000-8000-000000000000'],
        ['GET', '/api/batches/batch-00000000-0000-4000-8000-000000000000/events'],
        ['POST', '/api/batches/batch-00000000-0000-4000-8000-000000000000/pause'],
        ['POST', '/api/batches/batch-00000000-0000-4000-8000-000000000000/cancel'],
        ['POST', '/api/batches/batch-00000000-0000-4000-8000-000000000000/retry-failed'],
      ] as const) {
        expect([m, path, (await http(p.baseUrl, m, path)).status]).toEqual([m, path, 404]);
      }
    });
  });
});
