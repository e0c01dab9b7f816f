import type { Browser, Response } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { launchChromium, newSession, type Session } from './browser';
import { ensureWebBuild } from './web-build';

/**
 * A page that follows a run keeps following it through the API's rate limit: a 429 on its poll
 * is sent again after Retry-After (it used to turn into "Could not follow the run" and stop).
 * The budget is the real limiter's (RATE_LIMIT_PER_IP), spent by this test from the same address.
 */
const PER_IP_LIMIT = 40;

jest.setTimeout(240_000);

describe('web app under the per-client rate limit (headless Chromium, real platform)', () => {
  let p: TestPlatform;
  let browser: Browser;
  let s: Session;

  beforeAll(async () => {
    await ensureWebBuild((m) => console.log(`[e2e-web] ${m}`));
    p = await startTestPlatform({
      RATE_LIMITING_ENABLED: 'true',
      RATE_LIMIT_PER_IP: String(PER_IP_LIMIT),
    });
    // Long enough that the run is still open when the budget is spent.
    p.sim.setLatency(6000);
    browser = await launchChromium();
    s = await newSession(browser, p.baseUrl);
  }, 240_000);

  afterAll(async () => {
    await s?.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await p?.close();
  });

  /**
   * Waits, if the current one-minute window has less than 45 s left, until a new one starts: the
   * page, the story and the spent budget then fall in one window, and the page's next poll is
   * surely refused (the window cannot reset between spending it and that poll).
   */
  async function startOfAWindow(): Promise<void> {
    const res = await fetch(`${p.baseUrl}/health/live`);
    expect(res.headers.get('x-ratelimit-limit')).toBe(String(PER_IP_LIMIT));
    const left = Number(res.headers.get('x-ratelimit-reset')) - Date.now() / 1000;
    if (left < 45) await new Promise((r) => setTimeout(r, (left + 1) * 1000));
  }

  /** Spends what is left of this address's budget for the current window; the first 429's Retry-After. */
  async function spendBudget(): Promise<number> {
    for (let i = 0; i <= PER_IP_LIMIT; i++) {
      const res = await fetch(`${p.baseUrl}/health/live`);
      if (res.status === 429) return Number(res.headers.get('retry-after'));
    }
    throw new Error(`no 429 after ${PER_IP_LIMIT + 1} requests: is RATE_LIMIT_PER_IP applied?`);
  }

  it('shows the story once the window reopens, after a poll was refused with 429', async () => {
    const { page } = s;
    const polls: { status: number; retryAfter: string | null }[] = [];
    page.on('response', (r: Response) => {
      if (/\/api\/runs\/story-[^/?]+$/.test(new URL(r.url()).pathname))
        polls.push({ status: r.status(), retryAfter: r.headers()['retry-after'] ?? null });
    });

    await startOfAWindow();
    await page.goto('/ui/');
    await page.getByRole('heading', { level: 1, name: 'AI Story Generator' }).waitFor();
    await page.getByLabel('Primary character').fill('Ada');
    await page.getByLabel('Secondary character').fill('Grace');
    const started = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/stories' && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Generate story' }).click();
    expect((await started).status()).toBe(202);

    const retryAfter = await spendBudget();
    expect(retryAfter).toBeGreaterThan(5);
    // The page's next poll is refused...
    await page.waitForResponse((r) => /\/api\/runs\/story-/.test(r.url()) && r.status() === 429, {
      timeout: 30_000,
    });
    // ...and, after Retry-After, asked again: the story appears without a reload.
    const result = page.getByTestId('story-result');
    await result.waitFor({ timeout: (retryAfter + 60) * 1000 });
    expect(await result.textContent()).toContain('Ada');
    expect(await page.getByText('Could not follow the run').count()).toBe(0);

    const refused = polls.filter((x) => x.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((x) => Number(x.retryAfter) > 0)).toBe(true);
    expect(polls.at(-1)?.status).toBe(200);
    // Chromium logs each refused request as a console error: those are expected, nothing else.
    expect(s.console.take().filter((e) => !e.includes('429'))).toEqual([]);
  });
});
