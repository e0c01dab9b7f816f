import { mulberry32, seed32 } from './prng';
import {
  FAULT_KINDS,
  type FaultKind,
  type FaultRule,
  type FaultRuleState,
  type FaultSchedule,
} from './types';

// Fault injection: a per-request header wins; otherwise the schedule's rules are checked in
// order and the first one that matches (and, for `rate`, whose coin flip fires) applies.

export class ScheduleError extends Error {}

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value);
}

/** Validates untrusted JSON (POST /_sim/faults) into a schedule; throws ScheduleError. */
export function parseSchedule(input: unknown): FaultSchedule {
  if (!input || typeof input !== 'object' || !Array.isArray((input as { rules?: unknown }).rules)) {
    throw new ScheduleError('schedule must be an object with a "rules" array');
  }
  const rules = (input as { rules: unknown[] }).rules.map((raw, i): FaultRule => {
    if (!raw || typeof raw !== 'object') throw new ScheduleError(`rules[${i}] must be an object`);
    const r = raw as Record<string, unknown>;
    if (!isFaultKind(r.fault)) {
      throw new ScheduleError(`rules[${i}].fault must be one of ${FAULT_KINDS.join(', ')}`);
    }
    const rule: FaultRule = { fault: r.fault };
    if (r.times !== undefined) {
      if (typeof r.times !== 'number' || !Number.isInteger(r.times) || r.times < 0) {
        throw new ScheduleError(`rules[${i}].times must be a non-negative integer`);
      }
      rule.times = r.times;
    }
    if (r.rate !== undefined) {
      if (typeof r.rate !== 'number' || r.rate < 0 || r.rate > 1) {
        throw new ScheduleError(`rules[${i}].rate must be a number in 0..1`);
      }
      rule.rate = r.rate;
    }
    if (r.match !== undefined) {
      if (typeof r.match !== 'string')
        throw new ScheduleError(`rules[${i}].match must be a string`);
      rule.match = r.match;
    }
    if (r.retryAfterSeconds !== undefined) {
      if (typeof r.retryAfterSeconds !== 'number' || r.retryAfterSeconds < 0) {
        throw new ScheduleError(`rules[${i}].retryAfterSeconds must be a non-negative number`);
      }
      rule.retryAfterSeconds = r.retryAfterSeconds;
    }
    if (r.forSeconds !== undefined) {
      if (typeof r.forSeconds !== 'number' || !(r.forSeconds > 0)) {
        throw new ScheduleError(`rules[${i}].forSeconds must be a positive number`);
      }
      rule.forSeconds = r.forSeconds;
    }
    return rule;
  });
  return { rules };
}

export interface FaultDecision {
  fault: FaultKind;
  retryAfterSeconds?: number;
  source: 'header' | 'schedule';
}

interface RequestFacts {
  body: string;
  critique: boolean;
}

export class FaultPlanner {
  private rules: FaultRuleState[] = [];
  private rand: () => number;

  constructor(private readonly seed: string) {
    this.rand = mulberry32(seed32(`${seed}\u0000faults`));
  }

  /** Replacing the schedule also reseeds the PRNG, so a schedule replays the same way. */
  set(schedule: FaultSchedule): void {
    const parsed = parseSchedule(schedule);
    const now = Date.now();
    this.rules = parsed.rules.map((r) => ({
      ...r,
      remaining: r.times ?? null,
      applied: 0,
      ...(r.forSeconds !== undefined ? { until: now + r.forSeconds * 1000 } : {}),
    }));
    this.rand = mulberry32(seed32(`${this.seed}\u0000faults`));
  }

  clear(): void {
    this.set({ rules: [] });
  }

  snapshot(): FaultRuleState[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Picks the schedule's fault for one request, consuming a `times` unit when it applies. */
  next(facts: RequestFacts): FaultDecision | null {
    for (const rule of this.rules) {
      if (rule.remaining !== null && rule.remaining <= 0) continue;
      if (rule.until !== undefined && Date.now() >= rule.until) continue;
      // `revise` is about critique answers only; other requests must not use it up.
      if (rule.fault === 'revise' && !facts.critique) continue;
      if (rule.match !== undefined && !facts.body.includes(rule.match)) continue;
      if (rule.rate !== undefined && !(this.rand() < rule.rate)) continue;
      if (rule.remaining !== null) rule.remaining--;
      rule.applied++;
      return {
        fault: rule.fault,
        source: 'schedule',
        ...(rule.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: rule.retryAfterSeconds }
          : {}),
      };
    }
    return null;
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface ErrorReply {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
}

function errorBody(message: string, type: string, code: string | null): OpenAIErrorBody {
  return { error: { message, type, param: null, code } };
}

/**
 * The HTTP reply for a fault that answers with an error status. Shapes follow OpenAI's real
 * responses so clients' error mapping (status, type, code, retry-after) is exercised for real.
 */
export function errorReplyFor(
  fault: FaultKind,
  model: string | null,
  retryAfterSeconds: number | undefined,
): ErrorReply | null {
  const retryHeaders = (seconds: number): Record<string, string> => ({
    // retry-after is whole seconds by the HTTP spec; retry-after-ms carries the exact value
    // and is what the openai SDK prefers, which keeps sub-second test schedules fast.
    'retry-after': String(Math.ceil(seconds)),
    'retry-after-ms': String(Math.round(seconds * 1000)),
  });
  const optionalRetry = retryAfterSeconds !== undefined ? retryHeaders(retryAfterSeconds) : {};
  switch (fault) {
    case '500':
      return {
        status: 500,
        body: errorBody(
          'The server had an error while processing your request. Sorry about that! (simulated)',
          'server_error',
          null,
        ),
        headers: optionalRetry,
      };
    case '503':
      return {
        status: 503,
        body: errorBody(
          'The engine is currently overloaded, please try again later. (simulated)',
          'server_error',
          null,
        ),
        headers: optionalRetry,
      };
    case '429': {
      const seconds = retryAfterSeconds ?? 1;
      return {
        status: 429,
        body: errorBody(
          `Rate limit reached for ${model ?? 'model'} on requests per min (RPM). Please try again in ${seconds}s. (simulated)`,
          'requests',
          'rate_limit_exceeded',
        ),
        // No x-ratelimit-limit-*: an injected 429 is a fault, not an account limit, and clients
        // pace themselves by the limit a 429 states (POST /_sim/limits gives real ones).
        headers: { ...retryHeaders(seconds), 'x-ratelimit-reset-requests': `${seconds}s` },
      };
    }
    case 'insufficient_quota':
      return {
        status: 429,
        body: errorBody(
          'You exceeded your current quota, please check your plan and billing details. (simulated)',
          'insufficient_quota',
          'insufficient_quota',
        ),
        headers: optionalRetry,
      };
    case '400':
      return {
        status: 400,
        body: errorBody('Invalid request (simulated).', 'invalid_request_error', 'invalid_request'),
        headers: {},
      };
    case '401':
      return {
        status: 401,
        body: errorBody(
          'Incorrect API key provided (simulated).',
          'invalid_request_error',
          'invalid_api_key',
        ),
        headers: {},
      };
    default:
      return null;
  }
}

export { errorBody };
