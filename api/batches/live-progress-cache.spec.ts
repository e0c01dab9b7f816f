import { LiveProgressCache } from './live-progress-cache';

describe('LiveProgressCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 10_000));

  /** An ask() whose answers the test releases one by one. */
  function asker() {
    const pending: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
    let asked = 0;
    const ask = () =>
      new Promise<number>((resolve, reject) => {
        asked++;
        pending.push({ resolve, reject });
      });
    return { ask, pending, asked: () => asked };
  }
  const settle = () => new Promise((r) => setImmediate(r));

  /** A cache (fresh for 1 s) that answered 1 for batch b, run r1, a second ago. */
  async function answeredThenStale() {
    const cache = new LiveProgressCache<number>(1_000, 10, clock);
    const a = asker();
    const first = cache.get('b', 'r1', a.ask);
    a.pending[0].resolve(1);
    await first;
    now += 1_000;
    return { cache, a };
  }

  it('asks once for concurrent readers and reuses the answer while fresh', async () => {
    const cache = new LiveProgressCache<number>(1_000, 10, clock);
    const a = asker();
    const first = Promise.all([cache.get('b', 'r1', a.ask), cache.get('b', 'r1', a.ask)]);
    a.pending[0].resolve(1);
    expect(await first).toEqual([1, 1]);
    now += 999;
    expect(await cache.get('b', 'r1', a.ask)).toBe(1);
    expect(a.asked()).toBe(1);
  });

  it('makes the reader that refreshes wait; the others get the previous answer meanwhile', async () => {
    const { cache, a } = await answeredThenStale();
    const refreshing = cache.get('b', 'r1', a.ask);
    expect(await cache.get('b', 'r1', a.ask)).toBe(1);
    expect(cache.previous('b', 'r1')).toBe(1);
    expect(cache.previous('b', 'r2')).toBeUndefined();
    expect(a.asked()).toBe(2);
    a.pending[1].resolve(2);
    expect(await refreshing).toBe(2);
    expect(await cache.get('b', 'r1', a.ask)).toBe(2);
    expect(a.asked()).toBe(2);
  });

  it('with freshMs 0, a lone reader always gets its own answer', async () => {
    const cache = new LiveProgressCache<number>(0, 10, clock);
    let n = 0;
    expect(await cache.get('b', 'r', async () => ++n)).toBe(1);
    expect(await cache.get('b', 'r', async () => ++n)).toBe(2);
  });

  it('drops the entry when a refresh fails: the next reader waits for its own answer', async () => {
    const { cache, a } = await answeredThenStale();
    const refreshing = cache.get('b', 'r1', a.ask);
    a.pending[1].reject(new Error('no worker'));
    await expect(refreshing).rejects.toThrow('no worker');
    await settle();
    expect(cache.size).toBe(0);
    const third = cache.get('b', 'r1', a.ask);
    a.pending[2].reject(new Error('no worker'));
    await expect(third).rejects.toThrow('no worker');
  });

  it('never answers one run with another run’s answer, nor after forget()', async () => {
    const cache = new LiveProgressCache<number>(1_000, 10, clock);
    const a = asker();
    const first = cache.get('b', 'r1', a.ask);
    a.pending[0].resolve(1);
    await first;
    const next = cache.get('b', 'r2', a.ask);
    a.pending[1].resolve(2);
    expect(await next).toBe(2);
    cache.forget('b');
    const again = cache.get('b', 'r2', a.ask);
    a.pending[2].resolve(3);
    expect(await again).toBe(3);
  });

  it('keeps at most maxEntries batches', async () => {
    const cache = new LiveProgressCache<string>(1_000, 2, clock);
    for (const k of ['a', 'b', 'c']) await cache.get(k, 'r', async () => k);
    expect(cache.size).toBe(2);
  });
});
