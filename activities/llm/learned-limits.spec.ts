import { LearnedLimits } from './learned-limits';

/** Learned limits last while 429s keep coming and are forgotten after a quiet spell (no sleeps: a fake clock). */
describe('LearnedLimits', () => {
  const QUIET_MS = 300_000;
  let now: number;
  let limits: LearnedLimits;
  beforeEach(() => {
    now = 1_000_000;
    limits = new LearnedLimits(() => now);
  });

  it('paces by the stated limits, then forgets them after a quiet period', () => {
    expect(limits.onRateLimited('sim/m', { requestsPerMinute: 60 })).toEqual({
      requestsPerMinute: 60,
    });
    now += QUIET_MS - 1;
    expect(limits.get('sim/m', QUIET_MS)).toEqual({ requestsPerMinute: 60 });
    now += 1;
    expect(limits.get('sim/m', QUIET_MS)).toBeUndefined();
    // Forgotten for good: the next 429 learns them again (and says so).
    now += 10 * QUIET_MS;
    expect(limits.get('sim/m', QUIET_MS)).toBeUndefined();
    expect(limits.onRateLimited('sim/m', { requestsPerMinute: 60 })).toEqual({
      requestsPerMinute: 60,
    });
  });

  it('renews them with every 429, with or without stated limits', () => {
    limits.onRateLimited('sim/m', { tokensPerMinute: 10_000 });
    now += QUIET_MS - 1_000;
    // The same limits again: renewed, but nothing new to report.
    expect(limits.onRateLimited('sim/m', { tokensPerMinute: 10_000 })).toBeUndefined();
    now += QUIET_MS - 1_000;
    // A 429 without limit headers: the provider still refuses, so the learned limits stay.
    expect(limits.onRateLimited('sim/m', undefined)).toBeUndefined();
    now += QUIET_MS - 1_000;
    expect(limits.get('sim/m', QUIET_MS)).toEqual({ tokensPerMinute: 10_000 });
    now += 1_000;
    expect(limits.get('sim/m', QUIET_MS)).toBeUndefined();
  });

  it('replaces changed limits and keeps providers apart', () => {
    limits.onRateLimited('a/m', { requestsPerMinute: 60 });
    expect(limits.onRateLimited('a/m', { requestsPerMinute: 30 })).toEqual({
      requestsPerMinute: 30,
    });
    expect(limits.get('a/m', QUIET_MS)).toEqual({ requestsPerMinute: 30 });
    expect(limits.get('b/m', QUIET_MS)).toBeUndefined();
    // A 429 without limits learns nothing for a provider with none learned.
    expect(limits.onRateLimited('b/m', undefined)).toBeUndefined();
    expect(limits.get('b/m', QUIET_MS)).toBeUndefined();
  });
});
