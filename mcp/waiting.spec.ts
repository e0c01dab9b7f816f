import { progressNotifier, waitBounded } from './waiting';
import type { ToolExtra } from './tool';

describe('waitBounded', () => {
  it('returns the value when the run finishes in time', async () => {
    await expect(waitBounded({ result: Promise.resolve(42), maxMs: 1000 })).resolves.toEqual({
      done: true,
      value: 42,
    });
  });

  it('stops waiting at the bound without failing', async () => {
    const never = new Promise<number>(() => undefined);
    await expect(waitBounded({ result: never, maxMs: 20 })).resolves.toEqual({
      done: false,
      reason: 'timeout',
    });
  });

  it('stops waiting when the caller cancels', async () => {
    const ac = new AbortController();
    const w = waitBounded({
      result: new Promise<number>(() => undefined),
      maxMs: 10_000,
      signal: ac.signal,
    });
    ac.abort();
    await expect(w).resolves.toEqual({ done: false, reason: 'aborted' });
  });

  it('rejects as the run does', async () => {
    await expect(
      waitBounded({ result: Promise.reject(new Error('failed')), maxMs: 1000 }),
    ).rejects.toThrow('failed');
  });

  it('a late failure after the bound is not an unhandled rejection', async () => {
    let fail!: (e: Error) => void;
    const late = new Promise<number>((_, reject) => (fail = reject));
    await waitBounded({ result: late, maxMs: 5 });
    fail(new Error('late'));
    await new Promise((r) => setTimeout(r, 10));
  });

  it('polls progress while waiting and survives a failing poll', async () => {
    const seen: number[] = [];
    let n = 0;
    await waitBounded({
      result: new Promise((r) => setTimeout(() => r('ok'), 120)),
      maxMs: 1000,
      pollEveryMs: 20,
      poll: async () => {
        n += 1;
        if (n === 2) throw new Error('query failed');
        return { progress: n };
      },
      notify: async (p) => void seen.push(p.progress),
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).not.toContain(2);
  });
});

describe('progressNotifier', () => {
  const extra = (progressToken?: string) => {
    const sent: unknown[] = [];
    const e = {
      _meta: progressToken ? { progressToken } : undefined,
      sendNotification: async (n: unknown) => void sent.push(n),
    };
    return { e: e as unknown as ToolExtra, sent };
  };

  it('is absent when the client sent no progress token', () => {
    expect(progressNotifier(extra().e)).toBeUndefined();
  });

  it('sends only increasing progress', async () => {
    const { e, sent } = extra('tok');
    const notify = progressNotifier(e)!;
    await notify({ progress: 1, total: 3, message: 'a' });
    await notify({ progress: 1, total: 3 });
    await notify({ progress: 0 });
    await notify({ progress: 3, total: 3 });
    expect(sent).toEqual([
      {
        method: 'notifications/progress',
        params: { progressToken: 'tok', progress: 1, total: 3, message: 'a' },
      },
      { method: 'notifications/progress', params: { progressToken: 'tok', progress: 3, total: 3 } },
    ]);
  });
});
