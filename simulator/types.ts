// Public types of the LLM simulator. Kept apart from the server so tests, benchmarks and the
// offline demo can import the shapes without pulling in node:http.

/** Every fault the simulator can inject. `revise` only affects critique requests. */
export const FAULT_KINDS = [
  '500',
  '503',
  '429',
  '400',
  '401',
  'insufficient_quota',
  'timeout',
  'drop',
  'malformed',
  'revise',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  fault: FaultKind;
  /** Apply to the next N matching requests, then the rule is spent. Absent = unlimited. */
  times?: number;
  /** Probability 0..1 that a matching request gets the fault (seeded, deterministic PRNG). */
  rate?: number;
  /** Substring the raw request body must contain for the rule to match. */
  match?: string;
  /** For 429 (and any other fault that should carry it): value of `retry-after`, seconds. */
  retryAfterSeconds?: number;
  /** The rule applies only this many seconds after the schedule was set (an outage window). */
  forSeconds?: number;
}

/** A provider account's limits (POST /_sim/limits); an absent field is no limit. */
export interface SimLimits {
  requestsPerMinute?: number;
  /** Counted as OpenAI does at admission: prompt tokens + the request's max_tokens. */
  tokensPerMinute?: number;
  /** Burst: the buckets hold this many seconds of the limit (default 1). */
  burstSeconds?: number;
}

export interface FaultSchedule {
  rules: FaultRule[];
}

/** A rule as reported back by GET /_sim/faults: `remaining` counts down from `times`. */
export interface FaultRuleState extends FaultRule {
  remaining: number | null;
  applied: number;
  /** Epoch ms after which a `forSeconds` rule no longer applies. */
  until?: number;
}

export interface SimulatorOptions {
  /** 0 (default) = ephemeral port. */
  port?: number;
  /** Default 127.0.0.1: the simulator is a local test double and must not listen publicly. */
  host?: string;
  /** Base latency added to every chat completion. */
  latencyMs?: number;
  /** Up to this many extra ms, drawn from the seeded PRNG. */
  jitterMs?: number;
  /** Seed mixed into the text hash and the fault/jitter PRNG. Default 'quillflow'. */
  seed?: string;
  /** If set, chat completions require `Authorization: Bearer <apiKey>` (else 401). */
  apiKey?: string;
  /** Ids listed by GET /v1/models. */
  models?: string[];
  /** Rate limits enforced from the start (POST /_sim/limits changes them). */
  limits?: SimLimits;
}

/** Outcome of one chat completion request. */
export type Outcome = 'ok' | FaultKind | 'invalid_request' | 'unauthorized' | 'rate_limited';

export interface AuthInfo {
  present: boolean;
  /** 'bearer' (Authorization header) or 'api-key' (Azure-style header). */
  scheme: 'bearer' | 'api-key' | 'other' | null;
  /** First 12 hex chars of sha256(key); never the key itself. */
  keySha256Prefix: string | null;
}

export interface RequestRecord {
  seq: number;
  /** ISO time the request arrived. */
  at: string;
  method: string;
  path: string;
  model: string | null;
  stream: boolean;
  /** The request's max_tokens (or max_completion_tokens) and temperature, as sent. */
  maxTokens: number | null;
  temperature: number | null;
  critique: 'PASS' | 'REVISE' | null;
  outcome: Outcome | null;
  /** HTTP status sent (0 = none: timeout or dropped connection). */
  status: number;
  /** Wall time until the response ended or the connection closed. */
  durationMs: number | null;
  /** True when the client went away before the response was complete. */
  clientClosed: boolean;
  promptTokens: number;
  completionTokens: number;
  auth: AuthInfo;
  /** Request headers with secret-looking ones replaced by '[redacted]'. */
  headers: Record<string, string>;
}

export interface SimStats {
  /** Every POST /v1/chat/completions received, whatever its outcome. */
  requests: number;
  byOutcome: Record<string, number>;
  byModel: Record<string, number>;
  byStatus: Record<string, number>;
  /** Count of all non-control requests by path (/v1/models, /health, ...). */
  byPath: Record<string, number>;
  streamed: number;
  critique: { pass: number; revise: number };
  /** Tokens of completions that were delivered in full (what a provider would bill). */
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Non-secret headers of the last chat completion request. */
  lastHeaders: Record<string, string> | null;
  lastAuth: AuthInfo | null;
  /** Last 1000 requests, oldest first. */
  recent: RequestRecord[];
}

export interface Simulator {
  /** Base URL ending in /v1, e.g. http://127.0.0.1:54321/v1 */
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): SimStats;
  /** Back to the startup state: stats, critique counters, fault schedule, PRNG and latency. */
  reset(): void;
  /** Replace the fault schedule (throws on an invalid schedule). */
  setFaults(schedule: FaultSchedule): void;
  setLatency(ms: number, jitterMs?: number): void;
  /** Replace the rate limits ({} = none); buckets start full. */
  setLimits(limits: SimLimits): void;
}
