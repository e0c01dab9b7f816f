import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', 'test-artifacts', 'screenshots');

const CHROMIUM = process.env.QUILLFLOW_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Everything the browser reported as an error: console.error, uncaught exceptions, 5xx/4xx of our API. */
export class ConsoleWatch {
  readonly errors: string[] = [];

  constructor(page: Page) {
    page.on('console', (msg) => {
      if (msg.type() === 'error')
        this.errors.push(`console.error: ${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => this.errors.push(`uncaught: ${err.message}`));
    page.on('requestfailed', (req) => {
      // EventSource streams are aborted on navigation: not an error.
      if (req.resourceType() === 'eventsource' || req.failure()?.errorText === 'net::ERR_ABORTED')
        return;
      this.errors.push(
        `request failed: ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`,
      );
    });
  }

  take(): string[] {
    return this.errors.splice(0, this.errors.length);
  }
}

export interface Session {
  context: BrowserContext;
  page: Page;
  console: ConsoleWatch;
}

export async function newSession(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1366, height: 900 },
): Promise<Session> {
  const context = await browser.newContext({ baseURL, viewport, acceptDownloads: true });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  return { context, page, console: new ConsoleWatch(page) };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Polls `check` until it returns true (for state the page reaches by itself: live progress, refetches). */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
