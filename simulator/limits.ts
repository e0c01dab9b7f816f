import type { SimLimits } from './types';

// A provider account's rate limits: requests and tokens per minute, per model, each a token
// bucket refilled continuously (as OpenAI's are) holding `burstSeconds` of the limit. A request
// that does not fit is refused with 429 and told when it would fit (retry-after).

export class LimitsError extends Error {}

/** Validates untrusted JSON (POST /_sim/limits); throws LimitsError. */
export function parseLimits(input: unknown): SimLimits {
  if (!input || typeof input !== 'object') throw new LimitsError('limits must be an object');
  const raw = input as Record<string, unknown>;
  const out: SimLimits = {};
  for (const key of ['requestsPerMinute', 'tokensPerMinute', 'burstSeconds'] as const) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new LimitsError(`${key} must be a positive number (or absent: no limit)`);
    }
    out[key] = v;
  }
  return out;
}

interface Bucket {
  level: number;
  at: number;
}

export interface LimitVerdict {
  /** Which limit refused the request; absent = admitted. */
  refusedBy?: 'requests' | 'tokens';
  retryAfterMs: number;
  headers: Record<string, string>;
}

const DEFAULT_BURST_SECONDS = 1;

function resetText(ms: number): string {
  return `${
    Math.max(0, ms / 1000)
      .toFixed(3)
      .replace(/\.?0+$/, '') || '0'
  }s`;
}

export class RateLimiter {
  private limits: SimLimits = {};
  private readonly buckets = new Map<string, Bucket>();

  constructor(initial?: SimLimits) {
    if (initial) this.set(initial);
  }

  set(limits: SimLimits): void {
    this.limits = parseLimits(limits);
    this.buckets.clear();
  }

  get(): SimLimits {
    return { ...this.limits };
  }

  /** Admits (and charges) one request of `tokens` for `model`, or says when it would fit. */
  admit(model: string, tokens: number, now = Date.now()): LimitVerdict {
    const burst = this.limits.burstSeconds ?? DEFAULT_BURST_SECONDS;
    const checks: Array<{ kind: 'requests' | 'tokens'; perMinute: number; cost: number }> = [];
    if (this.limits.requestsPerMinute)
      checks.push({ kind: 'requests', perMinute: this.limits.requestsPerMinute, cost: 1 });
    if (this.limits.tokensPerMinute)
      checks.push({ kind: 'tokens', perMinute: this.limits.tokensPerMinute, cost: tokens });
    const headers: Record<string, string> = {};
    let refusedBy: LimitVerdict['refusedBy'];
    let retryAfterMs = 0;
    const states = checks.map((c) => {
      const perMs = c.perMinute / 60_000;
      const capacity = Math.max(c.kind === 'requests' ? 1 : c.cost, c.perMinute * (burst / 60));
      const key = `${c.kind}\u0000${model}`;
      const b = this.buckets.get(key) ?? { level: capacity, at: now };
      b.level = Math.min(capacity, b.level + (now - b.at) * perMs);
      b.at = now;
      this.buckets.set(key, b);
      if (b.level < c.cost) {
        const wait = (c.cost - b.level) / perMs;
        if (wait > retryAfterMs) {
          retryAfterMs = wait;
          refusedBy = c.kind;
        }
      }
      return { c, b, capacity, perMs };
    });
    for (const { c, b, capacity, perMs } of states) {
      if (!refusedBy) b.level -= c.cost;
      headers[`x-ratelimit-limit-${c.kind}`] = String(Math.round(c.perMinute));
      headers[`x-ratelimit-remaining-${c.kind}`] = String(Math.max(0, Math.floor(b.level)));
      headers[`x-ratelimit-reset-${c.kind}`] = resetText((capacity - b.level) / perMs);
    }
    return { ...(refusedBy ? { refusedBy } : {}), retryAfterMs: Math.ceil(retryAfterMs), headers };
  }
}
