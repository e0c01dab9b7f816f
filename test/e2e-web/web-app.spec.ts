import type { Browser, Page } from 'playwright-core';
import { startSimulator } from '../../simulator/server';
import { http, startTestPlatform, type TestPlatform } from '../support/platform';
import { eventually, launchChromium, newSession, screenshot, type Session } from './browser';
import { ensureWebBuild, typecheckWeb } from './web-build';

/**
 * Issue 6 acceptance: the built web app, served by the API under /ui/, driven in Debian's
 * headless Chromium against a whole platform (real Temporal, worker, database, simulator).
 * One browser session walks through the pages in order; screenshots go to
 * test-artifacts/screenshots/.
 */
const PAGES = [
  { path: '', name: 'generate', heading: 'AI Story Generator' },
  { path: 'chat', name: 'chat', heading: 'Chat' },
  { path: 'history', name: 'history', heading: 'Story History' },
  { path: 'cost', name: 'cost', heading: 'Cost Tracking' },
  { path: 'context', name: 'context', heading: 'Context Manager' },
  { path: 'runs', name: 'runs', heading: 'Runs' },
  { path: 'batches', name: 'batches', heading: 'Batches' },
  { path: 'audit', name: 'audit', heading: 'Audit' },
];

const FRAMEWORKS = [
  {
    slug: 'semantic-kernel',
    label: 'Semantic Kernel',
    primary: 'Captain Nemo',
    secondary: 'Ada Lovelace',
  },
  { slug: 'langchain', label: 'LangChain', primary: "Miles O'Brien", secondary: 'José Arcadio' },
  { slug: 'langgraph', label: 'LangGraph', primary: 'Sherlock Holmes', secondary: 'Irene Adler' },
];

const log = (m: string) => console.log(`[e2e-web] ${m}`);

// Long flows (LLM workflows, a batch): per-project testTimeout is not honoured by every Jest version.
jest.setTimeout(300_000);

describe('web app in headless Chromium (real platform)', () => {
  let p: TestPlatform;
  let browser: Browser;
  let s: Session;
  let page: Page;
  const ui = (path = '') => `/ui/${path}`;

  /** Navigates, waits for the page's heading and for the network to settle. */
  async function open(path: string, heading: string): Promise<void> {
    await page.goto(ui(path));
    await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
  }

  function expectNoConsoleErrors(where: string): void {
    const errors = s.console.take();
    if (errors.length) throw new Error(`console errors on ${where}:\n${errors.join('\n')}`);
  }

  beforeAll(async () => {
    await ensureWebBuild(log);
    // The web's item links open an item's run page, which exists for child runs only: until the
    // batch page links an activity item to its audit rows instead, the UI tour runs child items.
    p = await startTestPlatform({ BATCH_ITEM_MODE: 'workflow' });
    browser = await launchChromium();
    s = await newSession(browser, p.baseUrl);
    page = s.page;
  }, 300_000);

  afterAll(async () => {
    await s?.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await p?.close();
  });

  it('type-checks (strict TypeScript, DOM libs)', async () => {
    await typecheckWeb();
  });

  it('serves the built app under /ui/ (deep links too) and leaves the API and / alone', async () => {
    const deep = await fetch(`${p.baseUrl}/ui/runs/story-123`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    expect((await fetch(`${p.baseUrl}/ui/assets/missing-file.js`)).status).toBe(404);
    const redirect = await fetch(`${p.baseUrl}/ui`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/ui/');
    const root = await fetch(`${p.baseUrl}/`);
    expect(await root.text()).not.toContain('<div id="root">');
    const cfg = await http(p.baseUrl, 'GET', '/api/ui-config');
    expect(cfg.status).toBe(200);
    expect(cfg.body).toEqual({
      temporalUiUrl: expect.stringMatching(/^https?:\/\//),
      namespace: 'default',
    });
  });

  it('loads every page without console errors before there is any data', async () => {
    for (const pg of PAGES) {
      await open(pg.path, pg.heading);
      expectNoConsoleErrors(`/ui/${pg.path} (empty)`);
    }
    // The nav bar names the provider; the warning banner shows exactly when the API says simulated.
    const provider = await http(p.baseUrl, 'GET', '/api/provider');
    expect(await page.getByTestId('provider-chip').textContent()).toContain(provider.body.provider);
    expect(await page.getByTestId('simulator-banner').isVisible()).toBe(
      provider.body.simulated === true,
    );
  });

  it('shows the API validation message under the field it concerns', async () => {
    await open('', 'AI Story Generator');
    await page.getByLabel('Primary character').fill('<script>');
    await page.getByLabel('Secondary character').fill('Bob');
    await page.getByRole('button', { name: 'Generate story' }).click();
    const err = page.getByTestId('field-error').first();
    await err.waitFor();
    expect(await err.textContent()).toMatch(/not allowed/);
    expect(await page.getByLabel('Primary character').getAttribute('aria-invalid')).toBe('true');
    // Chromium logs the 422 response itself as a console error: expected here.
    expect(s.console.take().every((e) => e.includes('422'))).toBe(true);
  });

  it('generates a story with each framework and shows its metadata', async () => {
    for (const f of FRAMEWORKS) {
      await open('', 'AI Story Generator');
      await page
        .locator('label')
        .filter({ has: page.getByTestId(`framework-${f.slug}`) })
        .click();
      expect(await page.getByTestId(`framework-${f.slug}`).isChecked()).toBe(true);
      await page.getByLabel('Primary character').fill(f.primary);
      await page.getByLabel('Secondary character').fill(f.secondary);
      await page.getByRole('button', { name: 'Generate story' }).click();
      const result = page.getByTestId('story-result');
      await result.waitFor({ timeout: 90_000 });
      const text = (await result.textContent()) ?? '';
      expect(text).toContain(f.primary);
      expect(text).toContain(f.label);
      expect(text).toMatch(/Transaction ID/);
      expect(((await page.getByTestId('story-text').textContent()) ?? '').length).toBeGreaterThan(
        50,
      );
      const runLink = await page.getByRole('link', { name: 'View run' }).getAttribute('href');
      expect(runLink).toMatch(/^\/ui\/runs\/story-/);
      log(`generated a ${f.label} story`);
    }
    await screenshot(page, 'generate');
    expectNoConsoleErrors('story generation');
  });

  it('lists the stories in History and the modal shows the full story', async () => {
    await open('history', 'Story History');
    const cards = page.getByTestId('story-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(3);
    await screenshot(page, 'history');

    const first = cards.first();
    const id = Number(await first.getAttribute('data-story-id'));
    await first.getByRole('button', { name: /^View story/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('story-full-text').waitFor();
    const shown = ((await dialog.getByTestId('story-full-text').textContent()) ?? '').trim();
    const api = await http(p.baseUrl, 'GET', `/api/stories/${id}`);
    expect(shown).toBe(String(api.body.story_content).trim());
    expect(shown.length).toBeGreaterThan(200); // the full story, not the 200-character preview
    await screenshot(page, 'history-modal');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await page.getByLabel('Search by character').fill('Nemo');
    // Load states are sticky (networkidle was reached long ago): wait for the search itself.
    const searched = page.waitForResponse((r) =>
      r.url().includes('/api/stories/search/characters'),
    );
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    expect((await searched).status()).toBe(200);
    await page.getByText('Showing results for').waitFor();
    await cards.first().waitFor();
    expect(await cards.count()).toBe(1);
    expectNoConsoleErrors('history');
  });

  it('chats two turns in one conversation, switching framework in between', async () => {
    await open('chat', 'Chat');
    const input = page.getByLabel('Message', { exact: true });
    await input.fill('Hello! Tell me a fact about lighthouses.');
    await input.press('Enter');
    await page.getByText('Thinking...').waitFor();
    await page.getByTestId('chat-message-assistant').first().waitFor({ timeout: 90_000 });
    const title = page.getByTestId('conversation-title');
    const conversationId = await title.getAttribute('data-conversation-id');
    expect(conversationId).toMatch(/^\d+$/);

    await page
      .locator('label')
      .filter({ has: page.locator('input[value="langgraph"]') })
      .click();
    await input.fill('And one about lightships?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('chat-message-assistant').nth(1).waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('chat-message-user').count()).toBe(2);
    expect(await title.getAttribute('data-conversation-id')).toBe(conversationId);

    const list = await http(p.baseUrl, 'GET', '/api/chat/conversations');
    expect(list.body).toHaveLength(1);
    expect(list.body[0].id).toBe(Number(conversationId));
    expect(list.body[0].message_count).toBe(4);
    await page.getByTestId('conversation-item').first().waitFor();
    expect(await page.getByTestId('conversation-item').count()).toBe(1);
    await screenshot(page, 'chat');
    expectNoConsoleErrors('chat');
  });

  it('runs a context prompt on uploaded files and lists the execution', async () => {
    await open('context', 'Context Manager');
    await page.getByLabel('Upload files').setInputFiles([
      {
        name: 'lighthouse-notes.md',
        mimeType: 'text/markdown',
        buffer: Buffer.from('# Lighthouses\n\nThe Eddystone lighthouse was first lit in 1698.\n'),
      },
      {
        name: 'keepers.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('name,years\nHenry Hall,1755\nAbbie Burgess,1853\n'),
      },
    ]);
    await page.getByRole('button', { name: 'Upload 2 files' }).click();
    const files = page.getByTestId('context-file-list').locator('li');
    await page.getByText('Selected files: 2').waitFor();
    expect(await files.count()).toBe(2);
    await page.getByRole('button', { name: 'Next: System prompt' }).click();
    expect(await page.getByLabel('System prompt', { exact: true }).inputValue()).toContain(
      '[context]',
    );
    await page.getByRole('button', { name: 'Next: User prompt' }).click();
    await page.getByRole('button', { name: 'Execute prompt' }).click();
    const result = page.getByTestId('context-result');
    await result.waitFor({ timeout: 90_000 });
    expect(((await result.textContent()) ?? '').length).toBeGreaterThan(20);
    const executions = page.getByTestId('context-executions');
    await executions.getByText('completed').first().waitFor();
    await screenshot(page, 'context');
    expectNoConsoleErrors('context');
  });

  let batchWorkflowId = '';

  it('starts a small batch, follows it over SSE to 100%, then retries its failed items', async () => {
    // Every LLM call about Mallory gets a 400 (not retried): her two items fail.
    p.sim.setFaults({ rules: [{ fault: '400', match: 'Mallory' }] });
    await open('batches', 'Batches');
    let sawStream = false;
    page.on('request', (r) => {
      if (r.url().includes('/api/batches/') && r.url().endsWith('/events')) sawStream = true;
    });
    await page.getByLabel('Pairs, one per line').fill('Alice, Bob\nCarol, Dave\nMallory, Trent');
    await page.getByLabel('LangGraph', { exact: true }).check();
    await page.getByLabel('Concurrency', { exact: true }).fill('2');
    await page.getByLabel('Budget (USD, optional)').fill('1');
    // The estimate shows before anything starts: a dry run, answered 200 (a start is a 202).
    const dryRuns: number[] = [];
    const onDryRun = (r: { status(): number; request(): { method(): string } }) => {
      if (r.request().method() === 'POST') dryRuns.push(r.status());
    };
    page.on('response', onDryRun);
    await page.getByRole('button', { name: 'Estimate' }).click();
    const estimate = page.getByRole('region', { name: 'Estimate (nothing started)' });
    await estimate.waitFor();
    page.off('response', onDryRun);
    expect(dryRuns).toEqual([200]);
    expect(await estimate.getByTestId('estimate-items').textContent()).toBe('6');
    const money = async (id: string) => {
      const text = (await estimate.getByTestId(id).textContent()) ?? '';
      expect(text).toMatch(/^\$\d+\.\d{6}$/);
      return Number(text.slice(1));
    };
    const expected = await money('estimate-expected');
    expect(expected).toBeGreaterThan(0);
    expect(await money('estimate-worst')).toBeGreaterThan(expected);
    await estimate.getByText('The budget covers the worst case').waitFor();
    expect(await estimate.getByRole('row').count()).toBe(3); // a header and two frameworks
    await screenshot(page, 'batch-estimate');
    expectNoConsoleErrors('batch estimate');
    // A change to the form hides the estimate until it is asked for again.
    await page.getByLabel('Concurrency', { exact: true }).fill('3');
    await estimate.waitFor({ state: 'detached' });
    await page.getByLabel('Concurrency', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Start batch' }).click();
    await page.waitForURL(/\/ui\/batches\/batch-/);
    batchWorkflowId = decodeURIComponent(page.url().split('/ui/batches/')[1]);
    // Spent / reserved / budget as one bar.
    const budget = page.getByRole('meter', { name: 'Budget' });
    await budget.waitFor();
    expect(await budget.getAttribute('aria-valuetext')).toMatch(
      /^\$\d+\.\d{6} spent, \$\d+\.\d{6} reserved of a \$1\.000000 budget$/,
    );
    expect(await budget.getAttribute('aria-valuemax')).toBe('1');
    const percent = page.getByTestId('progress-percent');
    await percent.waitFor();
    await eventually(
      'the progress bar at 100%',
      async () => (await percent.textContent()) === '100%',
      120_000,
    );
    const bar = page.getByRole('progressbar', { name: 'Batch progress' });
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    expect(sawStream).toBe(true);
    await page.locator('[data-status="COMPLETED"]').first().waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Failed items (2)' }).waitFor();
    const failed = page.getByTestId('failed-items').locator('li');
    // The heading counts from the batch's progress; the list's details come from the item rows,
    // which can be a poll behind: wait for the second one.
    await failed.nth(1).waitFor();
    expect(await failed.count()).toBe(2);
    expect(await failed.first().textContent()).toContain('Mallory');
    await screenshot(page, 'batch-detail-failed');
    expectNoConsoleErrors('batch with failures');

    p.sim.setFaults({ rules: [] });
    await page.getByRole('button', { name: 'Retry failed' }).click();
    await page.getByRole('heading', { name: 'Failed items (0)' }).waitFor({ timeout: 120_000 });
    await page.locator('[data-status="COMPLETED"]').first().waitFor({ timeout: 60_000 });
    expect(await percent.textContent()).toBe('100%');
    expect(await bar.getAttribute('aria-valuetext')).toContain('6 done, 0 failed of 6');
    // The table reloads as progress changes: wait for the sixth row, then check there are no more.
    await page.getByTestId('batch-stories').locator('tbody tr').nth(5).waitFor();
    expect(await page.getByTestId('batch-stories').locator('tbody tr').count()).toBe(6);
    await screenshot(page, 'batch-detail');

    // Overshoot (only calls repeated after a worker crash make it) shows in red: the same page
    // on a detail answer that carries some.
    const detail = /\/api\/batches\/batch-[^/?]+$/;
    await page.route(detail, async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      for (const p of [body.progress, body.report])
        if (p) Object.assign(p, { costUsd: '1.250000', overshootUsd: '0.250000' });
      await route.fulfill({ response: res, json: body });
    });
    try {
      await page.reload();
      const over = page.getByTestId('budget-overshoot-text');
      await over.waitFor();
      expect(await over.textContent()).toContain('overshoot $0.250000');
      expect(await over.getAttribute('class')).toContain('text-red-700');
      expect(await budget.getAttribute('aria-valuetext')).toContain(
        '$0.250000 of calls repeated after a worker crash',
      );
      // $1.25 spent on a $1 budget: the track is $1.25, $1 of it within the budget, $0.25 over.
      expect(await page.getByTestId('budget-spent').getAttribute('style')).toContain('width: 80%');
      expect(await page.getByTestId('budget-overshoot').getAttribute('style')).toContain(
        'width: 20%',
      );
      await page.waitForTimeout(600); // the bar's width transition, for the screenshot
      await screenshot(page, 'batch-overshoot');
    } finally {
      await page.unroute(detail);
    }

    // Throttled by the provider (issue 15): the pace, the 429s and the reduced window, from the
    // progress's `provider` (test/reliability/provider-limits.spec.ts makes a real one).
    await page.route(detail, async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      for (const p of [body.progress, body.report])
        if (p)
          p.provider = { callsPerMinute: 540, rateLimitedCalls: 12, throttled: true, window: 2 };
      await route.fulfill({ response: res, json: body });
    });
    try {
      await page.reload();
      const status = page.getByRole('status').filter({ hasText: 'Throttled by the provider' });
      await status.waitFor();
      const text = await status.textContent();
      expect(text).toContain('12 call(s) rate-limited in the last 10 s');
      expect(text).toMatch(/running 2 at once \(of \d+\) at 540 calls\/min/);
      await screenshot(page, 'batch-throttled');
    } finally {
      await page.unroute(detail);
    }

    await open('batches', 'Batches');
    await page.getByTestId('batch-list').getByRole('progressbar').first().waitFor();
    await screenshot(page, 'batches');
    expectNoConsoleErrors('batches');
  });

  it("opens a run's timeline from the batch, the Runs page and a story", async () => {
    // The batch workflow: its children and events.
    await page.goto(ui(`runs/${encodeURIComponent(batchWorkflowId)}`));
    await page.getByTestId('run-timeline').waitFor();
    expect(await page.getByTestId('timeline-event').count()).toBeGreaterThan(3);
    await screenshot(page, 'run-detail-batch');

    // The Runs page (the whole namespace: other suites share the test server, so filter to ours).
    await open('runs', 'Runs');
    const table = page.getByTestId('runs-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'runs');
    // The batch's item runs (the batch workflow carries its BatchId too: type=story leaves it out).
    await page.goto(ui(`batches/${encodeURIComponent(batchWorkflowId)}`));
    await page.getByRole('link', { name: 'see the item runs' }).click();
    await page.getByText('Items of batch').waitFor();
    await page.waitForLoadState('networkidle');
    await table.waitFor();
    // Visibility is eventually consistent; the page refreshes itself every few seconds.
    // Six items; the two retried ones also keep their first, failed run.
    await eventually(
      '6 completed item runs',
      async () => (await table.locator('[data-status="COMPLETED"]').count()) === 6,
    );
    expect(await table.locator('tbody tr').count()).toBe(8);
    await table
      .getByRole('link', { name: /item-\d+$/ })
      .first()
      .click();
    await page.waitForURL(/\/ui\/runs\/batch-.*item-/);
    await page.getByTestId('run-timeline').waitFor();
    await page
      .locator('[data-testid="timeline-event"][data-event-type="ActivityTaskCompleted"]')
      .first()
      .waitFor();
    expect(await page.getByTestId('timeline-activity').count()).toBeGreaterThanOrEqual(2);

    // A stand-alone story, from its History modal: timeline, attempts, Temporal UI link.
    await open('history', 'Story History');
    await page
      .getByTestId('story-card')
      .filter({ hasText: 'Sherlock Holmes' })
      .getByRole('button', { name: /^View story/ })
      .click();
    await page.getByRole('dialog').getByRole('link', { name: 'View run' }).click();
    await page.waitForURL(/\/ui\/runs\/story-/);
    await page.getByTestId('run-timeline').waitFor();
    await page
      .locator('[data-testid="timeline-event"][data-event-type="ActivityTaskCompleted"]')
      .first()
      .waitFor();
    expect(await page.getByTestId('attempts-table').locator('tbody tr').count()).toBe(2); // LangGraph: draft + editor
    const temporal = await page.getByTestId('temporal-ui-link').getAttribute('href');
    expect(temporal).toMatch(/\/namespaces\/default\/workflows\/story-/);
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'run-detail');
    expectNoConsoleErrors('runs');
  });

  it('shows the spend on the Cost page', async () => {
    await open('cost', 'Cost Tracking');
    /** The UTC day `n` days ago (the page's dates are whole UTC days). */
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const subtitle = (from: string, to: string) =>
      page.getByText(`Priced LLM calls from ${from} to ${to} (UTC)`, { exact: true });
    // The default range, the last 7 days up to today, exactly as picked (not a day earlier).
    await subtitle(day(7), day(0)).waitFor();
    const summary = page.getByTestId('cost-summary');
    await summary.waitFor();
    const total = await summary.locator('dd').first().textContent();
    expect(total).toMatch(/^\$\d+\.\d{6}$/);
    expect(Number(total!.slice(1))).toBeGreaterThan(0);
    // 3 stories + 2 chat replies + 1 context execution + 6 batch stories
    expect(await page.getByTestId('transactions-table').locator('tbody tr').count()).toBe(12);
    expect(await page.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'cost');

    // A picked start date is the first day shown, not the day before.
    await page.getByLabel('Start date').fill(day(2));
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await subtitle(day(2), day(0)).waitFor();
    await page.getByTestId('transactions-table').locator('tbody tr').nth(11).waitFor();
    expect(await page.getByTestId('transactions-table').locator('tbody tr').count()).toBe(12);
    await page.getByRole('tab', { name: 'Summary view' }).click();
    // The tab is a URL parameter: the panel renders after the navigation, so wait for its rows.
    await page.locator('#cost-panel-summary tbody tr').nth(2).waitFor();
    const dates = await page
      .locator('#cost-panel-summary tbody tr td:first-child')
      .allTextContents();
    expect(dates).toEqual([day(0), day(1), day(2)]);
    await page.getByRole('tab', { name: 'Transaction details' }).click();

    // A range that ends before today leaves today's calls out (the API narrows it, not the page).
    await page.getByLabel('End date').fill(day(1));
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await subtitle(day(2), day(1)).waitFor();
    await page.getByText('No usage data found for the selected period').waitFor();
    expectNoConsoleErrors('cost');
  });

  it('lists LLM call attempts on the Audit page', async () => {
    await open('audit', 'Audit');
    const rows = page.getByTestId('attempts-table').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(10);
    await screenshot(page, 'audit');
    expectNoConsoleErrors('audit');
  });

  it('follows a running story: the timeline reloads when the history grows, not on a timer', async () => {
    // One slow LLM call: the run stays open with an unchanged history while the page polls it.
    p.sim.setLatency(7000);
    const runPolls: number[] = [];
    const historyLoads: number[] = [];
    let workflowId = '';
    const onRequest = (r: { url(): string }) => {
      const path = new URL(r.url()).pathname;
      const run = `/api/runs/${encodeURIComponent(workflowId)}`;
      if (path === run) runPolls.push(Date.now());
      if (path === `${run}/history`) historyLoads.push(Date.now());
    };
    page.on('request', onRequest);
    try {
      const started = await http(p.baseUrl, 'POST', '/api/stories', {
        primaryCharacter: 'Hercule Poirot',
        secondaryCharacter: 'Jane Marple',
        framework: 'semantic_kernel',
      });
      expect(started.status).toBe(202);
      workflowId = started.body.workflowId as string;
      await page.goto(ui(`runs/${encodeURIComponent(workflowId)}`));
      await page.getByTestId('run-timeline').waitFor();
      // Completed while the page was open: the timeline shows it without a reload.
      await page
        .locator('[data-testid="timeline-event"][data-event-type="WorkflowExecutionCompleted"]')
        .waitFor({ timeout: 60_000 });
    } finally {
      page.off('request', onRequest);
      p.sim.setLatency(0);
    }
    // The run was polled every 2 s while the call ran; the history was loaded only when it grew.
    expect(runPolls.length).toBeGreaterThanOrEqual(3);
    expect(historyLoads.length).toBeGreaterThanOrEqual(2);
    expect(historyLoads.length).toBeLessThan(runPolls.length);
    expectNoConsoleErrors('run-detail-live');
  });

  it('asks for the API key when the API requires one, warns that the simulator stands in, streams with the key', async () => {
    // A second API: API keys required and no PROVIDER_* at all (the simulator default, pointed
    // at a simulator of its own). One extra platform for both, to keep the suite short.
    const adminKey = `admin-${'k'.repeat(40)}`;
    const sim = await startSimulator({ port: 0 });
    const keyed = await startTestPlatform({
      PROVIDER_API_KEY: '',
      PROVIDER_API_BASE_URL: '',
      PROVIDER_MODEL: '',
      PROVIDER_NAME: '',
      SIMULATOR_URL: sim.url,
      API_KEYS: `user-${'u'.repeat(40)}`,
      ADMIN_API_KEYS: adminKey,
    });
    const session = await newSession(browser, keyed.baseUrl);
    const kp = session.page;
    try {
      await kp.goto(ui('batches'));
      const dialog = kp.getByRole('dialog', { name: 'API key' });
      await dialog.waitFor();
      await screenshot(kp, 'api-key-dialog');
      await dialog.getByLabel('Key', { exact: true }).fill(adminKey);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await kp.getByText('No batches yet').waitFor();
      // The 401s before the key was given are expected; nothing else.
      expect(session.console.take().every((e) => e.includes('401'))).toBe(true);

      const provider = await http(keyed.baseUrl, 'GET', '/api/provider', undefined, {
        'x-api-key': adminKey,
      });
      expect(provider.body.simulated).toBe(true);
      const banner = kp.getByTestId('simulator-banner');
      await banner.waitFor();
      expect(await banner.getAttribute('role')).toBe('alert');
      expect(await banner.textContent()).toMatch(/simulator/i);
      expect(await kp.getByTestId('provider-chip').textContent()).toContain(provider.body.model);

      // EventSource cannot send the key: the progress stream is read with fetch instead.
      await kp.getByLabel('Pairs, one per line').fill('Alice, Bob');
      await kp.getByRole('button', { name: 'Start batch' }).click();
      await kp.waitForURL(/\/ui\/batches\/batch-/);
      const percent = kp.getByTestId('progress-percent');
      await eventually(
        'the progress bar at 100%',
        async () => (await percent.textContent()) === '100%',
        120_000,
      );
      // Let the batch and its progress stream end before this platform shuts down.
      await kp.locator('[data-status="COMPLETED"]').first().waitFor({ timeout: 60_000 });
      await kp.getByTestId('stream-state').waitFor({ state: 'hidden', timeout: 30_000 });
      await screenshot(kp, 'simulator-banner');
      expect(session.console.take()).toEqual([]);
    } finally {
      await session.context.close();
      await keyed.close();
      await sim.close();
    }
  });

  it('loads every page with data without console errors, and the mobile menu works', async () => {
    for (const pg of PAGES) {
      await open(pg.path, pg.heading);
      expectNoConsoleErrors(`/ui/${pg.path}`);
    }
    const mobile = await newSession(browser, p.baseUrl, { width: 390, height: 844 });
    try {
      await mobile.page.goto(ui('history'));
      await mobile.page.getByRole('heading', { level: 1, name: 'Story History' }).waitFor();
      await mobile.page.getByRole('button', { name: 'Open menu' }).click();
      const menu = mobile.page.getByRole('navigation', { name: 'Main (mobile)' });
      await menu.waitFor();
      await screenshot(mobile.page, 'mobile-menu');
      await menu.getByRole('link', { name: 'Runs' }).click();
      await mobile.page.getByRole('heading', { level: 1, name: 'Runs' }).waitFor();
      await menu.waitFor({ state: 'hidden' });
      await mobile.page.waitForLoadState('networkidle');
      await screenshot(mobile.page, 'mobile-runs');
      const errors = mobile.console.take();
      expect(errors).toEqual([]);
    } finally {
      await mobile.context.close();
    }
  });
});
