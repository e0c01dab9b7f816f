import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { connectTemporal, type TemporalClientHandle } from '../../temporal/connection';
import { startApiOnly, type ApiOnly } from '../support/api-only';
import { http } from '../support/platform';
import { TEST_TEMPORAL_NAMESPACE, testTemporalAddress } from '../temporal-env';
import { launchChromium, newSession, screenshot, type Session } from './browser';
import { ensureWebBuild } from './web-build';

/**
 * The batch page of a batch no worker serves (every worker down, or a stale schedule's queue):
 * it says the workflow is not answering, names the task queue, and shows the last checkpoint,
 * instead of a spinner. The API runs without any worker, on a task queue of its own.
 */
jest.setTimeout(180_000);

describe('web batch page when no worker answers (headless Chromium)', () => {
  const taskQueue = `no-worker-ui-${randomUUID().slice(0, 8)}`;
  let api: ApiOnly;
  let temporal: TemporalClientHandle;
  let browser: Browser;
  let s: Session;
  let batchId: string | undefined;

  beforeAll(async () => {
    await ensureWebBuild((m) => console.log(`[e2e-web] ${m}`));
    api = await startApiOnly({ TEMPORAL_TASK_QUEUE: taskQueue, WORKFLOW_QUERY_TIMEOUT_MS: '300' });
    temporal = await connectTemporal({
      address: testTemporalAddress(),
      namespace: TEST_TEMPORAL_NAMESPACE,
    });
    browser = await launchChromium();
    s = await newSession(browser, api.baseUrl);
  }, 180_000);

  afterAll(async () => {
    await s?.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    if (batchId)
      await temporal?.client.workflow
        .getHandle(batchId)
        .terminate('test over')
        .catch(() => undefined);
    await temporal?.close();
    await api?.close();
  });

  it('names the task queue nobody serves and shows the last checkpoint', async () => {
    const started = await http(api.baseUrl, 'POST', '/api/batches', {
      items: [{ primaryCharacter: 'Ann', secondaryCharacter: 'Bo' }],
      frameworks: ['langchain'],
      label: 'Nobody home',
    });
    expect(started.status).toBe(202);
    batchId = String(started.body.batchId);

    await s.page.goto(`/ui/batches/${encodeURIComponent(batchId)}`);
    const banner = s.page.getByTestId('workflow-unanswered');
    await banner.waitFor();
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain('not answering');
    expect(text).toContain(taskQueue);
    expect(text).toContain('last checkpoint');
    await s.page.getByRole('heading', { level: 1, name: 'Nobody home' }).waitFor();
    expect(await s.page.getByTestId('batch-failure').count()).toBe(0);
    await screenshot(s.page, 'batch-unanswered');
  });
});
