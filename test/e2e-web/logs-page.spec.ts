import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type ApiOnly, startApiOnly } from '../support/api-only';
import { eventually, launchChromium, newSession, screenshot, type Session } from './browser';
import { ensureWebBuild } from './web-build';

/**
 * The log viewer as a page of the web app (/ui/logs), in headless Chromium against the API
 * alone (no workflow runs here), over known log files: the newest file and entries first, the
 * original's stats, level and text filters, paging, the JSON view, file choice and the 30 s
 * auto-refresh; `GET /logs/` lands on it.
 */
const LEVELS = ['info', 'debug', 'warn', 'info', 'error'];
const ENTRIES = 60;
const NEEDLE = 33;
const MARKUP = 47;
const MARKUP_TEXT = '<img src=x onerror="window.__xss=1">';

function pinoLine(i: number, msg = `event number ${i}`): string {
  return JSON.stringify({
    level: LEVELS[(i - 1) % LEVELS.length],
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    name: i % 2 ? 'api' : 'worker',
    requestId: `req-${i}`,
    msg,
  });
}

function knownLog(): string {
  const lines: string[] = [];
  for (let i = 1; i <= ENTRIES; i++) {
    lines.push(
      pinoLine(i, i === NEEDLE ? 'Needle in the haystack' : i === MARKUP ? MARKUP_TEXT : undefined),
    );
  }
  return lines.join('\n') + '\n';
}

const log = (m: string) => console.log(`[e2e-web logs] ${m}`);

jest.setTimeout(300_000);

describe('Logs page of the web app (headless Chromium)', () => {
  let dir: string;
  let api: ApiOnly;
  let browser: Browser;
  let s: Session;
  let page: Page;

  const entries = () => page.getByTestId('log-entry');
  const events = () => page.getByTestId('log-event').allTextContents();
  const stat = async (label: string) =>
    page
      .getByTestId('log-stats')
      .locator('div', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
      .locator('dd')
      .first()
      .textContent();
  const firstEvent = () => page.getByTestId('log-event').first().textContent();

  function expectNoConsoleErrors(where: string): void {
    const errors = s.console.take();
    if (errors.length) throw new Error(`console errors on ${where}:\n${errors.join('\n')}`);
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qf-e2e-logs-'));
    fs.writeFileSync(path.join(dir, 'app.log'), knownLog());
    const older = path.join(dir, 'app.2026-01-01-00.1.log');
    fs.writeFileSync(older, pinoLine(1, 'older file line') + '\n');
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(older, hourAgo, hourAgo);
    await ensureWebBuild(log);
    api = await startApiOnly({ LOG_FILE_PATH: path.join(dir, 'app.log') });
    browser = await launchChromium();
    s = await newSession(browser, api.baseUrl);
    page = s.page;
  }, 300_000);

  afterAll(async () => {
    await s?.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('GET /logs/ (the original viewer) lands on the Logs page, which the nav marks', async () => {
    await page.goto('/logs/');
    await page.getByRole('heading', { level: 1, name: 'Logs', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/ui/logs');
    const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logs' });
    expect(await link.getAttribute('aria-current')).toBe('page');
  });

  it('shows the newest file, its newest entries first, and the stats', async () => {
    await eventually('the first page of entries', async () => (await entries().count()) === 50);
    const files = page.getByLabel('Log file');
    expect(await files.inputValue()).toBe('app.log');
    expect(await files.locator('option').allTextContents()).toEqual([
      'app.log',
      'app.2026-01-01-00.1.log',
    ]);
    expect(await firstEvent()).toBe(`event number ${ENTRIES}`);
    expect(await stat('Total entries')).toBe(String(ENTRIES));
    expect(await stat('Page')).toBe('1 / 2');
    expect(await stat('Errors on page')).toBe('10');
    expect(await stat('Warnings on page')).toBe('10');
    expect(await page.getByLabel('Auto-refresh (30 s)').isChecked()).toBe(true);
    await screenshot(page, 'logs');
    expectNoConsoleErrors('/ui/logs');
  });

  it('filters by level and by text, and Clear brings every entry back', async () => {
    await page.getByLabel('Level').selectOption('error');
    await eventually('only errors', async () => (await stat('Total entries')) === '12');
    expect(new Set(await entries().evaluateAll((els) => els.map((e) => e.dataset.level)))).toEqual(
      new Set(['error']),
    );

    await page.getByRole('button', { name: 'Clear' }).click();
    await eventually('every entry again', async () => (await stat('Total entries')) === '60');
    await page.getByLabel('Search').fill('NEEDLE');
    await page.getByLabel('Search').press('Enter');
    await eventually('the one match', async () => (await entries().count()) === 1);
    expect(await firstEvent()).toBe('Needle in the haystack');
    expect(new URL(page.url()).searchParams.get('search')).toBe('NEEDLE');
    expectNoConsoleErrors('filters');
  });

  it('shows log text as text, never as markup', async () => {
    await page.getByLabel('Search').fill('onerror');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually('the markup line', async () => (await firstEvent()) === MARKUP_TEXT);
    expect(await page.getByRole('list', { name: 'Log entries' }).locator('img').count()).toBe(0);
    expect(await page.evaluate(() => '__xss' in globalThis)).toBe(false);
  });

  it('pages, opens an entry as JSON and switches files', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    await eventually('every entry again', async () => (await stat('Total entries')) === '60');
    await page
      .getByRole('navigation', { name: 'Log pages' })
      .getByRole('button', { name: '2', exact: true })
      .click();
    await eventually('page 2', async () => (await stat('Page')) === '2 / 2');
    expect(await entries().count()).toBe(ENTRIES - 50);
    expect(await firstEvent()).toBe('event number 10');

    await entries().first().getByRole('button', { name: /JSON/ }).click();
    const json = (await page.getByLabel('Log entry, line 10').textContent()) ?? '';
    expect(JSON.parse(json)).toMatchObject({
      requestId: 'req-10',
      level: 'error',
      logger: 'worker',
      line_number: 10,
    });
    expect(json).not.toContain('raw_line');

    await page.getByLabel('Log file').selectOption('app.2026-01-01-00.1.log');
    await eventually('the older file', async () => (await events()).join() === 'older file line');
    expect(await stat('Page')).toBe('1 / 1');
    expectNoConsoleErrors('paging and files');
  });

  it('refreshes every 30 s while auto-refresh is on, and at once with Refresh', async () => {
    // A fake clock from the start of the page, so its 30 s interval can be run forward.
    await page.clock.install();
    await page.goto('/ui/logs');
    await eventually(
      'the first page',
      async () => (await firstEvent()) === `event number ${ENTRIES}`,
    );

    fs.appendFileSync(path.join(dir, 'app.log'), pinoLine(ENTRIES + 1, 'written later') + '\n');
    await page.clock.runFor(31_000);
    await eventually('the auto-refresh', async () => (await firstEvent()) === 'written later');
    expect(await stat('Total entries')).toBe(String(ENTRIES + 1));

    await page.getByLabel('Auto-refresh (30 s)').uncheck();
    fs.appendFileSync(path.join(dir, 'app.log'), pinoLine(ENTRIES + 2, 'written last') + '\n');
    await page.clock.runFor(61_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await firstEvent()).toBe('written later');

    await page.getByRole('button', { name: 'Refresh' }).click();
    await eventually('the manual refresh', async () => (await firstEvent()) === 'written last');
    expectNoConsoleErrors('refresh');
  });

  it('says so when the server writes no log files', async () => {
    const quiet = await startApiOnly({ LOG_FILE_PATH: '' });
    // A session of its own: the previous test's page runs on a fake clock, whose timers wait to be advanced.
    const own = await newSession(browser, quiet.baseUrl);
    try {
      await own.page.goto('/ui/logs');
      await own.page.getByText('No log files').waitFor();
      expect(await own.page.getByLabel('Log file').isDisabled()).toBe(true);
      expect(await own.page.getByTestId('log-entry').count()).toBe(0);
      const errors = own.console.take();
      if (errors.length)
        throw new Error(`console errors on /ui/logs without log files:\n${errors.join('\n')}`);
    } finally {
      await own.context.close().catch(() => {});
      await quiet.close();
    }
  });
});
