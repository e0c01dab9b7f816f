import type { PaceLimits } from './pacer';

/**
 * Provider limits learned from 429s (x-ratelimit-limit-* headers), per provider/model, for a
 * provider with no configured limits. They hold while the provider keeps refusing: every 429
 * renews them. After `quietMs` without one they are forgotten and calls go out unpaced again
 * (the configured pace, which for these providers is none), so one bad minute (a shared quota
 * spent elsewhere, a provider incident) does not throttle the worker for the rest of its life.
 * A provider that still limits says so with its next 429, and the limits are learned again.
 */
export class LearnedLimits {
  private readonly entries = new Map<string, { limits: PaceLimits; lastRefusalAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * A 429 of `key`: the limits it stated (if any) replace the learned ones and, either way,
   * the learned limits are renewed. Returns the limits when they are new or changed.
   */
  onRateLimited(key: string, stated: PaceLimits | undefined): PaceLimits | undefined {
    const at = this.now();
    const before = this.entries.get(key);
    if (!stated) {
      if (before) before.lastRefusalAt = at;
      return undefined;
    }
    this.entries.set(key, { limits: stated, lastRefusalAt: at });
    const same =
      before?.limits.requestsPerMinute === stated.requestsPerMinute &&
      before?.limits.tokensPerMinute === stated.tokensPerMinute;
    return same ? undefined : stated;
  }

  /** The limits learned for `key`, unless no 429 renewed them for `quietMs` (then forgotten). */
  get(key: string, quietMs: number): PaceLimits | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() - e.lastRefusalAt >= quietMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.limits;
  }
}
