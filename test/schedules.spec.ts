import { randomUUID } from 'node:crypto';
import { http, startTestPlatform, type TestPlatform } from './support/platform';
import { waitFor } from './support/wait';

/**
 * Issue 4 acceptance, schedules: recurring batches as Temporal Schedules, created, listed,
 * paused, triggered and deleted through the API; the batches they start carry Origin=schedule.
 */
describe('schedules (real Temporal Schedules)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });

  const batch = {
    items: [{ primaryCharacter: 'Ann', secondaryCharacter: 'Ben' }],
    frameworks: ['langchain'],
    label: 'nightly',
  };

  it('creates, lists, triggers, pauses, unpauses and deletes a recurring batch', async () => {
    const scheduleId = `qf-test-${randomUUID().slice(0, 8)}`;
    const created = await http(p.baseUrl, 'POST', '/api/schedules', {
      scheduleId,
      every: '1h',
      batch,
      paused: true,
      note: 'created by a test',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      scheduleId,
      every: '1h',
      paused: true,
      note: 'created by a test',
      label: 'nightly',
      totalItems: 1,
    });
    expect(
      (await http(p.baseUrl, 'POST', '/api/schedules', { scheduleId, every: '1h', batch })).status,
    ).toBe(409);

    await waitFor(
      'the schedule in the list',
      async () =>
        (await http(p.baseUrl, 'GET', '/api/schedules')).body.schedules as Array<{
          scheduleId: string;
        }>,
      (list) => list.some((s) => s.scheduleId === scheduleId),
    );

    // A triggered batch runs on its own ID with Origin=schedule, and its stories belong to it.
    expect((await http(p.baseUrl, 'POST', `/api/schedules/${scheduleId}/trigger`)).status).toBe(
      202,
    );
    const described = await waitFor(
      'the triggered batch',
      async () => (await http(p.baseUrl, 'GET', `/api/schedules/${scheduleId}`)).body,
      (s) => s.recentBatches.length === 1,
    );
    const batchId = described.recentBatches[0].batchId as string;
    expect(batchId.startsWith(`batch-${scheduleId}-`)).toBe(true);
    const report = await p.temporal.client.workflow.getHandle(batchId).result();
    expect(report).toMatchObject({ state: 'completed', completed: 1 });
    const row = await p.prisma.batch.findUniqueOrThrow({ where: { id: batchId } });
    expect(row.origin).toBe('schedule');
    expect(await p.prisma.story.count({ where: { batchId } })).toBe(1);
    const runs = await waitFor(
      'the scheduled batch in visibility',
      async () =>
        (
          await http(
            p.baseUrl,
            'GET',
            `/api/runs?type=batch&origin=schedule&batchId=${encodeURIComponent(batchId)}`,
          )
        ).body.runs as Array<{ searchAttributes: Record<string, unknown> }>,
      (r) => r.length === 1,
    );
    expect(runs[0].searchAttributes).toMatchObject({
      Origin: 'schedule',
      WorkflowKind: 'batch',
      BatchId: batchId,
    });

    const unpaused = await http(p.baseUrl, 'POST', `/api/schedules/${scheduleId}/unpause`);
    expect(unpaused.status).toBe(200);
    expect(unpaused.body.paused).toBe(false);
    expect(unpaused.body.nextRunAt).not.toBeNull();
    const paused = await http(p.baseUrl, 'POST', `/api/schedules/${scheduleId}/pause`, {
      note: 'maintenance',
    });
    expect(paused.body).toMatchObject({ paused: true, note: 'maintenance' });

    expect((await http(p.baseUrl, 'DELETE', `/api/schedules/${scheduleId}`)).status).toBe(204);
    expect((await http(p.baseUrl, 'GET', `/api/schedules/${scheduleId}`)).status).toBe(404);
    expect((await http(p.baseUrl, 'POST', `/api/schedules/${scheduleId}/pause`)).status).toBe(404);
    expect((await http(p.baseUrl, 'DELETE', `/api/schedules/${scheduleId}`)).status).toBe(404);
  });

  it('accepts a cron expression', async () => {
    const res = await http(p.baseUrl, 'POST', '/api/schedules', {
      cron: '0 3 * * *',
      batch,
      paused: true,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ cron: '0 3 * * *', paused: true });
    expect(res.body.scheduleId).toMatch(/^sched-[0-9a-f-]{36}$/);
    expect(new Date(res.body.nextRunAt).getUTCHours()).toBe(3);
    expect((await http(p.baseUrl, 'DELETE', `/api/schedules/${res.body.scheduleId}`)).status).toBe(
      204,
    );
  });

  // The API's cron pattern is a subset of Temporal's syntax: its edge cases are created for real.
  it.each([
    '59 23 31 12 7',
    '0-59/99 0-23 1-31 1-12 0-7',
    '5-5,7,10-20/5 * * * *',
    '0 0 29 2 *',
    '@yearly',
  ])('creates the schedule for the cron %j on Temporal', async (cron) => {
    const res = await http(p.baseUrl, 'POST', '/api/schedules', { cron, batch, paused: true });
    expect([cron, res.status]).toEqual([cron, 201]);
    expect((await http(p.baseUrl, 'DELETE', `/api/schedules/${res.body.scheduleId}`)).status).toBe(
      204,
    );
  });

  it.each([
    ['no timing', { batch }, 'cron'],
    ['both timings', { cron: '@daily', every: '1h', batch }, 'cron'],
    ['bad cron', { cron: 'every day', batch }, 'cron'],
    // Issue 19: these were 500s (the schedule client's TypeError from Temporal's parser).
    ['an out-of-range cron', { cron: '61 25 * * *', batch }, 'cron minute \\"61\\"'],
    ['a nonsense cron', { cron: 'FOO BAR BAZ QUX QUUX', batch }, 'cron minute \\"FOO\\"'],
    ['a descending cron range', { cron: '0 0 5-3 * *', batch }, 'cron day of month'],
    ['a zero cron step', { cron: '*/0 * * * *', batch }, 'cron minute'],
    ['too short an interval', { every: '1s', batch }, 'every'],
    ['bad batch', { every: '1h', batch: { frameworks: ['langchain'] } }, 'items'],
    ['bad id', { scheduleId: 'a b', every: '1h', batch }, 'scheduleId'],
  ])('rejects %s with 422', async (_n, body, field) => {
    const res = await http(p.baseUrl, 'POST', '/api/schedules', body);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.error)).toContain(field);
  });
});
