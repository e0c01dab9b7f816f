import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { CHAT_MESSAGE_MAX_CHARS } from '../../common/chat-types';
import { MAX_BATCH_ITEMS } from '../../common/batch-items';
import { http, startTestPlatform, type TestPlatform } from '../support/platform';
import { eventually, launchChromium, newSession, SCREENSHOT_DIR, type Session } from './browser';
import { ensureWebBuild } from './web-build';

/**
 * Issue 20 acceptance: the web app as a daily tool, in Debian's headless Chromium at 1440×900
 * and 390×844 against a whole platform. Lists page to the end and say how many there are;
 * no page is wider than a phone; the chat fits the screen with 50 conversations; state lives in
 * the URL; destructive and costly actions confirm in words that say what happens; a running
 * story shows its step; schedules are a page. Screenshots of every page at both sizes go to
 * test-artifacts/screenshots/issue20/<size>/ (the path is logged).
 */
const SIZES = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
} as const;
type Size = keyof typeof SIZES;
const BOTH: Size[] = ['desktop', 'phone'];

const SHOTS = path.join(SCREENSHOT_DIR, 'issue20');
const log = (m: string) => console.log(`[e2e-web issue20] ${m}`);

jest.setTimeout(300_000);

describe('issue 20: the web UI as a daily tool (Chromium, 1440×900 and 390×844)', () => {
  let p: TestPlatform;
  let browser: Browser;
  const sessions = {} as Record<Size, Session>;
  const ui = (to = '') => `/ui/${to}`;

  /**
   * The whole page; the chat only as the screen shows it (it sizes itself to the window, and a
   * full-page capture resizes the window while it shoots).
   */
  async function shot(page: Page, size: Size, name: string): Promise<void> {
    const dir = path.join(SHOTS, size);
    fs.mkdirSync(dir, { recursive: true });
    const fullPage = !new URL(page.url()).pathname.startsWith('/ui/chat');
    await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage });
  }

  /** Navigates and waits for the page's h1 (the chat's is for screen readers only) and the network. */
  async function open(page: Page, to: string): Promise<void> {
    await page.goto(ui(to));
    await page.locator('h1').first().waitFor({ state: 'attached' });
    await page.waitForLoadState('networkidle').catch(() => {});
  }

  function expectNoConsoleErrors(size: Size, where: string): void {
    const errors = sessions[size].console.take();
    if (errors.length)
      throw new Error(`console errors (${size}) on ${where}:\n${errors.join('\n')}`);
  }

  /** In the viewport without scrolling: the whole box between its top and bottom edges. */
  async function inView(page: Page, l: Locator): Promise<boolean> {
    const b = await l.boundingBox();
    const vp = page.viewportSize()!;
    return (
      b !== null && b.y >= 0 && b.y + b.height <= vp.height && b.x >= 0 && b.x + b.width <= vp.width
    );
  }

  // Evaluated in the page (this file is type-checked without the DOM library).
  const inPage = async (page: Page, expression: string) => Number(await page.evaluate(expression));
  const scrollWidth = (page: Page) => inPage(page, 'document.documentElement.scrollWidth');

  let storyWorkflowId = '';
  let conversationId = 0;
  let chatWorkflowId = '';
  let batchId = '';
  let executionId = 0;

  beforeAll(async () => {
    await ensureWebBuild(log);
    p = await startTestPlatform();
    browser = await launchChromium();
    for (const size of BOTH) sessions[size] = await newSession(browser, p.baseUrl, SIZES[size]);
    fs.rmSync(SHOTS, { recursive: true, force: true });
    log(`screenshots of every page at both sizes: ${SHOTS}`);

    // Seeded rows: more stories than a page of History, 50 conversations besides the live one.
    for (let i = 0; i < 75; i++) {
      await p.prisma.story.create({
        data: {
          primaryCharacter: `Keeper ${i}`,
          secondaryCharacter: `Visitor ${i}`,
          combinedCharacters: `Keeper ${i} and Visitor ${i}`,
          storyContent: `A story of the lighthouse, number ${i}. ${'The lamp turned. '.repeat(20)}`,
          method: 'langchain',
          correlationId: `seed-story-${i}`,
          workflowId: `story-seed-${i}`,
          totalTokens: 100,
          estimatedCostUsd: '0.000100',
          createdAt: new Date(Date.now() - (i + 1) * 60_000),
        },
      });
    }
    for (let i = 0; i < 50; i++) {
      await p.prisma.chatConversation.create({
        data: {
          title: `Seeded conversation ${i} about lighthouses`,
          method: 'langchain',
          correlationId: `seed-chat-${i}`,
          updatedAt: new Date(Date.now() - (i + 1) * 60_000),
        },
      });
    }
    const story = await http(p.baseUrl, 'POST', '/api/stories?wait=true', {
      primaryCharacter: 'Captain Nemo',
      secondaryCharacter: 'Ada Lovelace',
      framework: 'langgraph',
    });
    expect(story.status).toBe(201);
    storyWorkflowId = story.body.workflow_id;
    const chat = await http(p.baseUrl, 'POST', '/api/chat/langchain', {
      message: 'Hello, keeper. How tall is the Eddystone lighthouse?',
    });
    expect(chat.status).toBe(200);
    conversationId = chat.body.conversation.id;
    chatWorkflowId = chat.body.conversation.workflow_id;
    const form = new FormData();
    form.append(
      'file',
      new Blob(['# Keepers\n\nHenry Hall kept the Eddystone light in 1755.\n']),
      'keepers.md',
    );
    const upload = await fetch(`${p.baseUrl}/api/context/upload`, { method: 'POST', body: form });
    const file = (await upload.json()) as { file_id: string };
    const execution = await http(p.baseUrl, 'POST', '/api/context/execute', {
      file_ids: [file.file_id],
      system_prompt: 'Answer from this context only:\n[context]',
      user_prompt: 'Who kept the light in 1755?',
      method: 'langchain',
    });
    expect(execution.status).toBe(200);
    executionId = execution.body.id;
  }, 300_000);

  afterAll(async () => {
    for (const s of Object.values(sessions)) await s.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await p?.close();
  });

  it('History pages to the end and says how many stories there are', async () => {
    const total = Number(
      (await http(p.baseUrl, 'GET', '/api/stories?limit=1')).headers.get('x-total-count'),
    );
    expect(total).toBe(76);
    for (const size of BOTH) {
      const page = sessions[size].page;
      await open(page, 'history');
      const cards = page.getByTestId('story-card');
      const count = page.getByTestId('list-count');
      await count.waitFor();
      expect(await count.textContent()).toContain(`Showing 30 of ${total} stories`);
      expect(await page.getByText(`All ${total} stories, newest first`).count()).toBe(1);
      await page.getByRole('button', { name: 'Load more' }).click();
      await eventually('60 stories', async () => (await cards.count()) === 60);
      await page.getByRole('button', { name: 'Load more' }).click();
      await eventually('every story', async () => (await cards.count()) === total);
      expect(await count.textContent()).toContain(`Showing ${total} of ${total} stories`);
      expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
      await shot(page, size, 'history-all-loaded');
      expectNoConsoleErrors(size, 'history');
    }
  });

  it("History's search and open story are in the URL (a reload keeps them)", async () => {
    for (const size of BOTH) {
      const page = sessions[size].page;
      await open(page, 'history');
      const cards = page.getByTestId('story-card');
      await page.getByLabel('Search by character').fill('Keeper 7');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/[?&]q=Keeper(\+|%20)7/);
      await page.reload();
      await page.getByText('Showing results for').waitFor();
      // Keeper 7 and Keeper 70 to 74.
      await eventually('the matches', async () => (await cards.count()) === 6);
      await cards
        .first()
        .getByRole('button', { name: /^View story/ })
        .click();
      await page.waitForURL(/[?&]story=\d+/);
      await page.reload();
      await page.getByRole('dialog').getByTestId('story-full-text').waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
      expect(page.url()).not.toMatch(/story=/);
      expectNoConsoleErrors(size, 'history');
    }
  });

  it('chat: the message box is in view with 51 conversations, the footer below the card, no sideways scroll', async () => {
    for (const size of BOTH) {
      const page = sessions[size].page;
      await open(page, 'chat');
      const box = page.getByLabel('Message', { exact: true });
      await box.waitFor();
      expect(await box.getAttribute('maxlength')).toBe(String(CHAT_MESSAGE_MAX_CHARS));
      expect(await inView(page, box)).toBe(true);
      expect(await inView(page, page.getByRole('button', { name: 'Send' }))).toBe(true);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(SIZES[size].width);
      // The footer is below the chat card, never drawn over it.
      const card = await page.getByRole('region', { name: 'Conversation' }).boundingBox();
      const footer = await page.locator('footer').boundingBox();
      expect(footer!.y).toBeGreaterThanOrEqual(card!.y + card!.height);
      await shot(page, size, 'chat-51-conversations');
      expectNoConsoleErrors(size, 'chat');
    }
  });

  it('chat: the sidebar says how many conversations there are and loads more to the end', async () => {
    for (const size of BOTH) {
      const page = sessions[size].page;
      await open(page, 'chat');
      if (size === 'phone') {
        // The list folds away on a phone; its button says how many there are.
        await page.getByRole('button', { name: 'Conversations (51)' }).click();
      }
      await page.getByRole('heading', { name: 'Conversations (51)' }).waitFor();
      const items = page.getByTestId('conversation-item');
      await eventually('the first page', async () => (await items.count()) === 20);
      const more = page
        .getByRole('complementary', { name: 'Conversations' })
        .getByRole('button', { name: 'Load more' });
      await more.click();
      await eventually('40 conversations', async () => (await items.count()) === 40);
      await more.click();
      await eventually('all 51', async () => (await items.count()) === 51);
      expect(await more.count()).toBe(0);
      // All 51 listed (and, on a phone, the list open): the message box is still on screen.
      expect(await inView(page, page.getByLabel('Message', { exact: true }))).toBe(true);
      await shot(page, size, 'chat-all-conversations');
      expectNoConsoleErrors(size, 'chat sidebar');
    }
  });

  it('chat: the open conversation is in the URL (a reload or a link opens it)', async () => {
    for (const size of BOTH) {
      const page = sessions[size].page;
      await open(page, 'chat');
      if (size === 'phone') await page.getByRole('button', { name: 'Conversations (51)' }).click();
      const items = page.getByTestId('conversation-item');
      await items.filter({ hasText: 'Hello, keeper' }).click();
      await page.waitForURL(new RegExp(`[?&]c=${conversationId}\\b`));
      const title = page.getByTestId('conversation-title');
      await page.reload();
      await page.getByTestId('chat-message-assistant').first().waitFor();
      expect(await title.getAttribute('data-conversation-id')).toBe(String(conversationId));
      expectNoConsoleErrors(size, 'chat in the URL');
    }
  });

  it('chat: sending scrolls the messages, not the page (the header stays, the box and the reply in view)', async () => {
    for (const size of BOTH) {
      const page = sessions[size].page;
      await open(page, `chat?c=${conversationId}`);
      await page.getByTestId('chat-message-assistant').first().waitFor();
      const box = page.getByLabel('Message', { exact: true });
      const before = await page.getByTestId('chat-message-assistant').count();
      await box.fill(`And its keepers? (${size})`);
      await box.press('Enter');
      await eventually(
        'the reply',
        async () => (await page.getByTestId('chat-message-assistant').count()) === before + 1,
        90_000,
      );
      expect(await inPage(page, 'window.scrollY')).toBe(0);
      expect((await page.locator('header').boundingBox())!.y).toBe(0);
      expect(await inView(page, box)).toBe(true);
      // The list scrolled to its end: the reply's last line is on screen.
      const reply = (await page.getByTestId('chat-message-assistant').last().boundingBox())!;
      expect(reply.y + reply.height).toBeLessThanOrEqual(SIZES[size].height);
      expect(reply.y + reply.height).toBeGreaterThan(0);
      await shot(page, size, 'chat-after-send');
      expectNoConsoleErrors(size, 'chat');
    }
  });

  it('chats in the runs list show their state, tokens and cost (what their detail page knows)', async () => {
    const detail = await http(p.baseUrl, 'GET', `/api/runs/${encodeURIComponent(chatWorkflowId)}`);
    const cost = `$${Number(detail.body.cost.audited.costUsd).toFixed(6)}`;
    const tokens = Number(detail.body.cost.audited.totalTokens).toLocaleString('en-US');
    for (const size of BOTH) {
      const page = sessions[size].page;
      await open(page, 'runs?type=chat');
      const row = page.getByTestId('runs-table').locator('tr', { hasText: chatWorkflowId });
      await eventually('the chat in the list', async () => (await row.count()) === 1);
      const badge = row.locator('[data-status]');
      expect(await badge.getAttribute('data-status')).toBe('OPEN');
      expect(await badge.getAttribute('title')).toMatch(/open/i);
      const cells = await row.locator('td').allTextContents();
      expect(cells.at(-1)).toBe(cost);
      expect(cells.at(-2)).toBe(tokens);
      expect(cells.join(' ')).not.toContain('running');
      await row.getByRole('link', { name: 'open the conversation' }).click();
      await page.waitForURL(new RegExp(`/ui/chat\\?c=${conversationId}$`));
      expectNoConsoleErrors(size, 'runs (chat)');
    }
  });

  it("a batch's stories are in item order and keep step with its progress", async () => {
    const page = sessions.desktop.page;
    p.sim.setLatency(600);
    const started = await http(p.baseUrl, 'POST', '/api/batches', {
      items: Array.from({ length: 24 }, (_, i) => ({
        primaryCharacter: `Keeper ${i}`,
        secondaryCharacter: `Gull ${i}`,
      })),
      frameworks: ['langchain'],
      concurrency: 3,
      label: 'Item order',
      itemMode: 'workflow', // the next tests read its items' own runs
    });
    expect(started.status).toBe(202);
    batchId = started.body.batchId;
    try {
      await page.goto(ui(`batches/${encodeURIComponent(batchId)}`));
      const bar = page.getByRole('progressbar', { name: 'Batch progress' });
      await bar.waitFor();
      const heading = page.getByRole('heading', { name: /^Stories made/ });
      const samples: { t: number; done: number; listed: number }[] = [];
      const deadline = Date.now() + 180_000;
      for (;;) {
        const text = (await bar.getAttribute('aria-valuetext')) ?? '';
        const done = Number(/\((\d+) done/.exec(text)?.[1] ?? 0);
        const listed = Number(/\((\d+)\)/.exec((await heading.textContent()) ?? '')?.[1] ?? -1);
        samples.push({ t: Date.now(), done, listed });
        if (done === 24 && listed === 24) break;
        if (Date.now() > deadline)
          throw new Error(`batch not done: ${JSON.stringify(samples.at(-1))}`);
        await page.waitForTimeout(200);
      }
      // In step: every count the bar showed, the table reached within 4 s (it read again).
      const lagging = samples.filter(
        (s) => !samples.some((l) => l.t >= s.t && l.t - s.t <= 4000 && l.listed >= s.done),
      );
      expect(lagging).toEqual([]);
      expect(new Set(samples.map((s) => s.done)).size).toBeGreaterThan(2);
    } finally {
      p.sim.setLatency(0);
    }
    const rows = page.getByTestId('batch-stories').locator('tbody tr');
    expect(await rows.count()).toBe(24);
    const order = await rows.evaluateAll((trs) =>
      trs.map((tr) => Number(tr.getAttribute('data-item'))),
    );
    expect(order).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(await page.getByTestId('list-count').textContent()).toContain(
      'Showing 24 of 24 stories',
    );
    await shot(page, 'desktop', 'batch-detail-item-order');
    expectNoConsoleErrors('desktop', 'batch stories');
  });

  it("a batch's item runs show their item number, never cut off", async () => {
    for (const size of BOTH) {
      const pg = sessions[size].page;
      await pg.goto(ui(`batches/${encodeURIComponent(batchId)}`));
      await pg.getByRole('link', { name: 'see the item runs' }).click();
      const table = pg.getByTestId('runs-table');
      await eventually(
        '24 item runs',
        async () => (await table.locator('[data-status="COMPLETED"]').count()) === 24,
        60_000,
      );
      const tails = table.getByTestId('run-id-item');
      expect(await tails.count()).toBe(24);
      for (const i of [0, 11, 23]) {
        const tail = tails.nth(i);
        expect(await tail.textContent()).toMatch(/^\/item-\d+$/);
        const cell = await tail.locator('xpath=ancestor::td').boundingBox();
        const b = await tail.boundingBox();
        expect(b!.width).toBeGreaterThan(20);
        expect(b!.x + b!.width).toBeLessThanOrEqual(cell!.x + cell!.width);
      }
      await shot(pg, size, 'runs-batch-items');
      expectNoConsoleErrors(size, 'item runs');
    }
  });

  it("an activity-mode batch's items link to their audited attempts (they have no run of their own)", async () => {
    const started = await http(p.baseUrl, 'POST', '/api/batches', {
      items: [{ primaryCharacter: 'Lamp', secondaryCharacter: 'Moth' }],
      frameworks: ['langchain'],
      itemMode: 'activity',
    });
    expect(started.status).toBe(202);
    const id = started.body.batchId as string;
    const itemKey = `${id}/item-0`;
    await eventually(
      'the activity-mode batch completes',
      async () =>
        (await http(p.baseUrl, 'GET', `/api/batches/${encodeURIComponent(id)}`)).body.report
          ?.state === 'completed',
      60_000,
    );
    const pg = sessions.desktop.page;
    await pg.goto(ui(`batches/${encodeURIComponent(id)}`));
    const rows = pg.getByTestId('batch-stories').locator('tbody tr');
    await rows.first().waitFor();
    await pg.getByTestId('batch-stories').getByRole('link', { name: 'Attempts' }).click();
    await pg.waitForURL(new RegExp(`/ui/audit\\?workflowId=${encodeURIComponent(itemKey)}$`));
    const runLink = pg.locator(`a[title="${itemKey}"]`);
    await runLink.first().waitFor();
    // An attempt's run is the batch's run, which made the call.
    expect(await runLink.first().getAttribute('href')).toBe(`/ui/runs/${encodeURIComponent(id)}`);
    await shot(pg, 'desktop', 'audit-activity-item');
    expectNoConsoleErrors('desktop', 'activity item attempts');
    // The API says where such an item is instead of a bare 404.
    const run = await http(p.baseUrl, 'GET', `/api/runs/${encodeURIComponent(itemKey)}`);
    expect(run.status).toBe(404);
    expect(run.body.error.message).toContain("ran as an activity of the batch's run");
  });

  it("a batch's run page folds its long history (start and end shown) and links back to the batch page", async () => {
    const history = await http(
      p.baseUrl,
      'GET',
      `/api/runs/${encodeURIComponent(batchId)}/history`,
    );
    expect(history.body.events.length).toBeGreaterThan(60);
    for (const size of BOTH) {
      const pg = sessions[size].page;
      await open(pg, `runs/${encodeURIComponent(batchId)}`);
      const events = pg.getByTestId('timeline-event');
      await events.first().waitFor();
      expect(await events.count()).toBe(40);
      expect(await pg.getByTestId('timeline-hidden').textContent()).toBe(
        `${history.body.events.length - 40} events hidden`,
      );
      // Its end is shown: the run's completion.
      await pg
        .locator('[data-testid="timeline-event"][data-event-type="WorkflowExecutionCompleted"]')
        .waitFor();
      expect(await inPage(pg, 'document.documentElement.scrollHeight')).toBeLessThan(9000);
      await shot(pg, size, 'run-detail-batch-folded');
      if (size === 'desktop') {
        await pg.getByRole('button', { name: `Show all ${history.body.events.length}` }).click();
        expect(await events.count()).toBe(history.body.events.length);
      }
      await pg.getByTestId('batch-page-link').click();
      await pg.waitForURL(new RegExp(`/ui/batches/${encodeURIComponent(batchId)}$`));
      await pg.getByRole('progressbar', { name: 'Batch progress' }).waitFor();
      expectNoConsoleErrors(size, 'batch run page');
    }
    // An item's run links to its batch too.
    const pg = sessions.desktop.page;
    await open(pg, `runs/${encodeURIComponent(`${batchId}/item-3`)}`);
    expect(await pg.getByTestId('batch-page-link').getAttribute('href')).toBe(
      `/ui/batches/${encodeURIComponent(batchId)}`,
    );
  });

  it('Re-run asks first, saying what it starts and what it costs', async () => {
    const before = (await http(p.baseUrl, 'GET', '/api/batches')).body.total;
    for (const size of BOTH) {
      const page = sessions[size].page;
      const reruns: string[] = [];
      const watch = (r: { url(): string; method(): string }) => {
        if (r.method() === 'POST' && r.url().includes('/rerun')) reruns.push(r.url());
      };
      page.on('request', watch);
      try {
        await open(page, `runs/${encodeURIComponent(batchId)}`);
        await page.getByRole('button', { name: 'Re-run' }).click();
        const dialog = page.getByRole('alertdialog', { name: 'Start this batch again?' });
        await dialog.waitFor();
        const words = (await dialog.textContent()) ?? '';
        expect(words).toContain(
          'A new batch with the same 24 items starts now and is charged again',
        );
        expect(words).toMatch(/This run cost \$\d+\.\d{6}/);
        expect(await dialog.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(0);
        await shot(page, size, 'rerun-confirm');
        await dialog.getByRole('button', { name: 'Go back' }).click();
        await dialog.waitFor({ state: 'hidden' });
      } finally {
        page.off('request', watch);
      }
      expect(reruns).toEqual([]);
    }
    expect((await http(p.baseUrl, 'GET', '/api/batches')).body.total).toBe(before);
    // Confirmed, it starts the new batch.
    const page = sessions.desktop.page;
    await page.getByRole('button', { name: 'Re-run' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Start a new batch' }).click();
    await page.waitForURL(
      (u) =>
        /\/ui\/runs\/batch-/.test(u.pathname) && !u.pathname.endsWith(encodeURIComponent(batchId)),
    );
    await eventually(
      'the new batch',
      async () => (await http(p.baseUrl, 'GET', '/api/batches')).body.total === before + 1,
    );
    expectNoConsoleErrors('desktop', 'rerun');
  });

  it("a cancelled batch does not say 'waiting'; the cancel dialog says what happens, with no 'Cancel' button", async () => {
    p.sim.setLatency(1500);
    const started = await http(p.baseUrl, 'POST', '/api/batches', {
      items: Array.from({ length: 30 }, (_, i) => ({
        primaryCharacter: `Sailor ${i}`,
        secondaryCharacter: `Storm ${i}`,
      })),
      frameworks: ['langchain'],
      concurrency: 1,
    });
    const id = started.body.batchId as string;
    try {
      for (const size of BOTH) {
        const page = sessions[size].page;
        await page.goto(ui(`batches/${encodeURIComponent(id)}`));
        await page.getByTestId('progress-counts').waitFor();
        expect(await page.getByTestId('progress-counts').textContent()).toMatch(/\d+ waiting/);
        await page.getByRole('button', { name: 'Cancel batch' }).click();
        const dialog = page.getByRole('alertdialog', { name: 'Cancel this batch?' });
        await dialog.waitFor();
        const words = (await dialog.textContent()) ?? '';
        expect(words).toMatch(/\d+ waiting items? will never start/);
        expect(words).toMatch(/already made .*are kept/);
        const buttons = await dialog.getByRole('button').allTextContents();
        expect(buttons.map((b) => b.trim())).toEqual(
          expect.arrayContaining(['Keep it running', 'Cancel the batch']),
        );
        expect(buttons.map((b) => b.trim())).not.toContain('Cancel');
        await shot(page, size, 'batch-cancel-confirm');
        if (size === 'desktop') {
          await dialog.getByRole('button', { name: 'Keep it running' }).click();
          await dialog.waitFor({ state: 'hidden' });
          continue;
        }
        await dialog.getByRole('button', { name: 'Cancel the batch' }).click();
        await page.locator('[data-status="CANCELLED"]').first().waitFor({ timeout: 60_000 });
      }
    } finally {
      p.sim.setLatency(0);
    }
    for (const size of BOTH) {
      const page = sessions[size].page;
      await page.goto(ui(`batches/${encodeURIComponent(id)}`));
      const counts = page.getByTestId('progress-counts');
      await eventually(
        'the closed batch',
        async () => /not started \(cancelled\)/.test((await counts.textContent()) ?? ''),
        60_000,
      );
      expect(await counts.textContent()).not.toContain('waiting');
      await shot(page, size, 'batch-cancelled');
      expectNoConsoleErrors(size, 'cancelled batch');
    }
  });

  it('a batch that spent more than its budget says so', async () => {
    const detail = /\/api\/batches\/batch-[^/?]+(\?.*)?$/;
    for (const size of BOTH) {
      const page = sessions[size].page;
      await page.route(detail, async (route) => {
        const res = await route.fetch();
        const body = await res.json();
        for (const pr of [body.progress, body.report])
          if (pr) Object.assign(pr, { costUsd: '0.242843', budgetUsd: '0.000001' });
        await route.fulfill({ response: res, json: body });
      });
      try {
        await page.goto(ui(`batches/${encodeURIComponent(batchId)}`));
        const alert = page.getByTestId('budget-exceeded');
        await alert.waitFor();
        expect(await alert.getAttribute('role')).toBe('alert');
        expect(await alert.textContent()).toContain(
          'spent $0.242843 of a $0.000001 budget, $0.242842 more than allowed',
        );
        await shot(page, size, 'batch-over-budget');
      } finally {
        await page.unroute(detail);
      }
      await page.reload();
      await page.getByRole('progressbar', { name: 'Batch progress' }).waitFor();
      expect(await page.getByTestId('budget-exceeded').count()).toBe(0);
    }
  });

  it('the batch form warns before sending what the server would refuse (the limit read from the API schema)', async () => {
    for (const size of BOTH) {
      const page = sessions[size].page;
      const posts: string[] = [];
      const watch = (r: { url(): string; method(): string }) => {
        if (r.method() === 'POST' && r.url().endsWith('/api/batches')) posts.push(r.url());
      };
      page.on('request', watch);
      try {
        await open(page, 'batches');
        await page.getByLabel('Generate from names').check();
        await page.getByLabel('Number of pairs').fill(String(2 * MAX_BATCH_ITEMS));
        const warning = page.getByTestId('batch-limit-warning');
        await warning.waitFor();
        expect(await warning.textContent()).toContain(
          `at most ${MAX_BATCH_ITEMS.toLocaleString('en-US')} items per batch`,
        );
        expect(await page.getByTestId('batch-items-preview').textContent()).toContain(
          `${(2 * MAX_BATCH_ITEMS).toLocaleString('en-US')} items`,
        );
        await page.getByRole('button', { name: 'Start batch' }).click();
        await page
          .getByTestId('field-error')
          .filter({ hasText: 'A batch holds at most' })
          .waitFor();
        await shot(page, size, 'batch-form-over-limit');
      } finally {
        page.off('request', watch);
      }
      expect(posts).toEqual([]);
      expectNoConsoleErrors(size, 'batch form');
    }
  });

  it('a running story shows its current step and links to its run at once', async () => {
    // 3 s per LLM call: each step is on screen for a few of the page's polls.
    p.sim.setLatency(3000);
    try {
      for (const size of BOTH) {
        const page = sessions[size].page;
        await open(page, '');
        await page
          .locator('label')
          .filter({ has: page.getByTestId('framework-langgraph') })
          .click();
        await page.getByLabel('Primary character').fill(`Sherlock Holmes ${size}`);
        await page.getByLabel('Secondary character').fill('Irene Adler');
        await page.getByRole('button', { name: 'Generate story' }).click();
        const link = page.getByTestId('running-story-run-link');
        await link.waitFor({ timeout: 10_000 });
        // Linked before the story exists.
        expect(await page.getByTestId('story-result').count()).toBe(0);
        const href = (await link.getAttribute('href')) ?? '';
        expect(href).toMatch(/^\/ui\/runs\/story-/);
        const step = page.getByTestId('running-story-step');
        await eventually(
          'the draft step',
          async () => (await step.getAttribute('data-step')) === 'draft',
          30_000,
        );
        expect(
          await page
            .getByRole('list', { name: 'LangGraph steps' })
            .locator('[aria-current="step"]')
            .textContent(),
        ).toBe('draft');
        await shot(page, size, 'generate-running');
        await eventually(
          'the critique',
          async () => (await step.getAttribute('data-step')) === 'critique-1',
          30_000,
        );
        await page.getByTestId('story-result').waitFor({ timeout: 60_000 });
        expect(await page.getByRole('link', { name: 'View run' }).getAttribute('href')).toBe(href);
        expectNoConsoleErrors(size, 'running story');
      }
    } finally {
      p.sim.setLatency(0);
    }
  });

  it("a past context execution's answer can be reopened (and linked to)", async () => {
    const api = await http(p.baseUrl, 'GET', `/api/context/executions/${executionId}`);
    for (const size of BOTH) {
      const page = sessions[size].page;
      await open(page, 'context');
      await page.getByRole('heading', { name: 'Past executions (1)' }).waitFor();
      await page
        .getByRole('button', { name: `Read the answer of execution ${executionId}` })
        .click();
      const dialog = page.getByRole('dialog');
      const answer = dialog.getByTestId('context-execution-answer');
      await answer.waitFor();
      expect((await answer.textContent())?.trim()).toBe(String(api.body.llm_response).trim());
      await page.waitForURL(new RegExp(`[?&]execution=${executionId}\\b`));
      await page.reload();
      await page.getByRole('dialog').getByTestId('context-execution-answer').waitFor();
      await shot(page, size, 'context-execution');
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
      expect(page.url()).not.toMatch(/execution=/);
      expectNoConsoleErrors(size, 'context execution');
    }
  });

  it('Schedules: list, create with a cron preview, pause/resume, run now, delete, their batches', async () => {
    const page = sessions.desktop.page;
    await open(page, 'schedules');
    await page.getByLabel('Schedule ID (optional)').fill('e2e-quarterly');
    await page.getByLabel('Cron expression', { exact: true }).fill('*/15 * * * *');
    const times = await page
      .getByTestId('cron-preview')
      .locator('[data-time]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-time') ?? ''));
    expect(times).toHaveLength(5);
    for (const t of times) {
      expect(new Date(t).getUTCMinutes() % 15).toBe(0);
      expect(Date.parse(t)).toBeGreaterThan(Date.now() - 1000);
    }
    expect(Date.parse(times[1] ?? '') - Date.parse(times[0] ?? '')).toBe(15 * 60_000);
    await page.getByLabel('Cron expression', { exact: true }).fill('not a cron');
    expect(await page.getByTestId('cron-preview').textContent()).toContain('Not a cron expression');
    await page.getByLabel('Cron expression', { exact: true }).fill('*/15 * * * *');
    await page.getByRole('button', { name: 'Create schedule' }).click();
    const item = page.locator('[data-testid="schedule-item"][data-schedule-id="e2e-quarterly"]');
    await item.waitFor();
    const state = () => item.locator('[data-status]').first().getAttribute('data-status');
    expect(await state()).toBe('ACTIVE');
    const api = async () => (await http(p.baseUrl, 'GET', '/api/schedules/e2e-quarterly')).body;
    expect((await api()).cron).toBe('*/15 * * * *');
    await shot(page, 'desktop', 'schedules-created');

    await item.getByRole('button', { name: 'Pause' }).click();
    await eventually('paused', async () => (await state()) === 'PAUSED');
    expect((await api()).paused).toBe(true);
    await item.getByRole('button', { name: 'Resume' }).click();
    await eventually('resumed', async () => (await state()) === 'ACTIVE');
    expect((await api()).paused).toBe(false);

    await item.getByRole('button', { name: 'Run now' }).click();
    const runNow = page.getByRole('alertdialog', { name: 'Start a batch now?' });
    expect(await runNow.textContent()).toContain('A batch of 2 items starts now');
    await runNow.getByRole('button', { name: 'Start a batch now' }).click();
    await runNow.waitFor({ state: 'hidden' });
    // The list comes from Temporal's visibility: the batch shows up there a moment later.
    const batchLink = item.getByRole('link', { name: /^batch-e2e-quarterly-/ }).first();
    await eventually('its batch in the list', async () => (await batchLink.count()) === 1, 90_000);
    await shot(page, 'desktop', 'schedules-with-batch');
    await open(sessions.phone.page, 'schedules');
    await sessions.phone.page
      .locator('[data-testid="schedule-item"][data-schedule-id="e2e-quarterly"]')
      .waitFor();
    await shot(sessions.phone.page, 'phone', 'schedules-with-batch');
    await batchLink.click();
    await page.waitForURL(/\/ui\/batches\/batch-e2e-quarterly-/);
    await page.getByRole('progressbar', { name: 'Batch progress' }).waitFor();

    await open(page, 'schedules');
    await item.getByRole('button', { name: 'Delete' }).click();
    const del = page.getByRole('alertdialog', { name: 'Delete schedule e2e-quarterly?' });
    expect(await del.textContent()).toContain('Batches it already started keep running');
    await del.getByRole('button', { name: 'Delete schedule' }).click();
    await item.waitFor({ state: 'detached' });
    expect((await http(p.baseUrl, 'GET', '/api/schedules/e2e-quarterly')).status).toBe(404);
    expectNoConsoleErrors('desktop', 'schedules');
    expectNoConsoleErrors('phone', 'schedules');
  });

  it('the nav bar turns into the menu button only below 1024 px (not on a 1280 px laptop)', async () => {
    for (const width of [1280, 1024, 1023, 390]) {
      const s = await newSession(browser, p.baseUrl, { width, height: 800 });
      try {
        await open(s.page, 'runs');
        const nav = s.page.getByRole('navigation', { name: 'Main', exact: true });
        const menu = s.page.getByRole('button', { name: 'Open menu' });
        expect([width, await nav.isVisible(), await menu.isVisible()]).toEqual([
          width,
          width >= 1024,
          width < 1024,
        ]);
        if (width >= 1024) {
          // Every entry fits: the bar does not scroll sideways.
          const fits = await nav.evaluate((n) => n.scrollWidth <= n.clientWidth);
          expect(fits).toBe(true);
        }
      } finally {
        await s.context.close();
      }
    }
  });

  it('no page is wider than 390 px at 390×844; screenshots of every page at both sizes', async () => {
    // Every page the nav bar links to (whatever it holds), and the detail pages.
    const desktop = sessions.desktop.page;
    await open(desktop, '');
    const navPages = await desktop
      .getByRole('navigation', { name: 'Main', exact: true })
      .getByRole('link')
      .evaluateAll((as) => as.map((a) => (a.getAttribute('href') ?? '').replace(/^\/ui\/?/, '')));
    expect(navPages.length).toBeGreaterThanOrEqual(9);
    const storyId = (await http(p.baseUrl, 'GET', '/api/stories?limit=1')).body[0].id;
    const pages: [string, string][] = [
      ...navPages.map((to): [string, string] => [to, to || 'generate']),
      [`chat?c=${conversationId}`, 'chat-conversation'],
      [`history?story=${storyId}`, 'history-story'],
      [`context?execution=${executionId}`, 'context-execution-linked'],
      [`runs/${encodeURIComponent(storyWorkflowId)}`, 'run-detail-story'],
      [`runs/${encodeURIComponent(batchId)}`, 'run-detail-batch'],
      [`runs/${encodeURIComponent(chatWorkflowId)}`, 'run-detail-chat'],
      [`batches/${encodeURIComponent(batchId)}`, 'batch-detail'],
    ];
    const wide: string[] = [];
    for (const size of BOTH) {
      const page = sessions[size].page;
      for (const [to, name] of pages) {
        await open(page, to);
        await page.waitForTimeout(300); // charts and transitions settle before the screenshot
        const width = await scrollWidth(page);
        if (size === 'phone' && width > 390) wide.push(`/ui/${to}: ${width} px`);
        await shot(page, size, name);
      }
      expectNoConsoleErrors(size, 'every page');
    }
    expect(wide).toEqual([]);
    const written = BOTH.map((s) => fs.readdirSync(path.join(SHOTS, s)).length);
    log(`screenshots written: ${written.join(' + ')} in ${SHOTS}`);
  });
});
