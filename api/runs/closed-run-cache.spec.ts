import { ClosedRunCache, hasFinalOutcome, isOpenStatus } from './closed-run-cache';

describe('ClosedRunCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000));

  it('computes once per key while fresh, again after the TTL', async () => {
    const cache = new ClosedRunCache(10, 60_000, clock);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.getOrCompute('a', compute)).toBe(1);
    expect(await cache.getOrCompute('a', compute)).toBe(1);
    now += 60_000;
    expect(await cache.getOrCompute('a', compute)).toBe(2);
  });

  it('peek() answers put() values with their age until they expire, and never computes', async () => {
    const cache = new ClosedRunCache(10, 1_000, clock);
    expect(cache.peek('k')).toBeUndefined();
    cache.put('k', 'closed');
    expect(cache.peek('k')?.ageMs).toBe(0);
    now += 400;
    const hit = cache.peek<string>('k');
    expect(hit?.ageMs).toBe(400);
    expect(await hit?.value).toBe('closed');
    now += 600;
    expect(cache.peek('k')).toBeUndefined();
    cache.put('k', 'again');
    cache.delete('k');
    expect(cache.peek('k')).toBeUndefined();
    expect(new ClosedRunCache(0, 1_000, clock).peek('k')).toBeUndefined();
  });

  it('shares one computation between concurrent misses', async () => {
    const cache = new ClosedRunCache(10, 60_000, clock);
    let calls = 0;
    const compute = () => new Promise<number>((r) => setTimeout(() => r(++calls), 5));
    const [x, y] = await Promise.all([
      cache.getOrCompute('k', compute),
      cache.getOrCompute('k', compute),
    ]);
    expect([x, y, calls]).toEqual([1, 1, 1]);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = new ClosedRunCache(2, 60_000, clock);
    const calls: string[] = [];
    const get = (k: string) => cache.getOrCompute(k, async () => (calls.push(k), k));
    await get('a');
    await get('b');
    await get('a'); // a is now the most recent
    await get('c'); // evicts b
    await get('a');
    await get('b');
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
    expect(cache.size).toBe(2);
  });

  it('drops a failed computation so the next request tries again', async () => {
    const cache = new ClosedRunCache(10, 60_000, clock);
    await expect(
      cache.getOrCompute('k', async () => Promise.reject(new Error('temporal down'))),
    ).rejects.toThrow('temporal down');
    expect(await cache.getOrCompute('k', async () => 'ok')).toBe('ok');
  });

  it('is off with 0 entries or a 0 TTL', async () => {
    for (const cache of [new ClosedRunCache(0, 60_000, clock), new ClosedRunCache(10, 0, clock)]) {
      let calls = 0;
      await cache.getOrCompute('k', async () => ++calls);
      await cache.getOrCompute('k', async () => ++calls);
      expect(calls).toBe(2);
      expect(cache.size).toBe(0);
    }
  });

  it('treats only closed statuses as final', () => {
    for (const s of ['RUNNING', 'PAUSED', 'UNSPECIFIED', 'UNKNOWN'])
      expect(isOpenStatus(s)).toBe(true);
    // Only these may be awaited with handle.result() by a GET; the others would wait.
    const final = ['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT'];
    for (const s of final) expect(hasFinalOutcome(s)).toBe(true);
    for (const s of ['RUNNING', 'PAUSED', 'UNSPECIFIED', 'UNKNOWN', 'CONTINUED_AS_NEW'])
      expect(hasFinalOutcome(s)).toBe(false);
    for (const s of [
      'COMPLETED',
      'FAILED',
      'CANCELLED',
      'TERMINATED',
      'TIMED_OUT',
      'CONTINUED_AS_NEW',
    ])
      expect(isOpenStatus(s)).toBe(false);
  });
});
