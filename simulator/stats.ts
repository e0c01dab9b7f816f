import type { AuthInfo, Outcome, RequestRecord, SimStats } from './types';

// Counters tests compare with Quillflow's own audit rows. A chat completion is counted the
// moment its outcome is decided (so a request held by the `timeout` fault is already visible),
// while tokens are only added once a completion was delivered in full, as a provider bills.

const RECENT_LIMIT = 1000;

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

export class StatsRecorder {
  private data: SimStats = StatsRecorder.empty();
  private seq = 0;

  private static empty(): SimStats {
    return {
      requests: 0,
      byOutcome: {},
      byModel: {},
      byStatus: {},
      byPath: {},
      streamed: 0,
      critique: { pass: 0, revise: 0 },
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 0,
      lastHeaders: null,
      lastAuth: null,
      recent: [],
    };
  }

  reset(): void {
    this.data = StatsRecorder.empty();
    this.seq = 0;
  }

  /** Any non-control request (chat, models, health). */
  countPath(path: string): void {
    bump(this.data.byPath, path);
  }

  /** Starts the record of a chat completion request; the caller fills it in as it proceeds. */
  begin(
    method: string,
    path: string,
    headers: Record<string, string>,
    auth: AuthInfo,
  ): RequestRecord {
    const record: RequestRecord = {
      seq: ++this.seq,
      at: new Date().toISOString(),
      method,
      path,
      model: null,
      stream: false,
      maxTokens: null,
      temperature: null,
      critique: null,
      outcome: null,
      status: 0,
      durationMs: null,
      clientClosed: false,
      promptTokens: 0,
      completionTokens: 0,
      auth,
      headers,
    };
    this.data.recent.push(record);
    if (this.data.recent.length > RECENT_LIMIT) this.data.recent.shift();
    this.data.lastHeaders = headers;
    this.data.lastAuth = auth;
    return record;
  }

  /** Counts the request under its outcome; call exactly once per chat completion request. */
  decide(record: RequestRecord, outcome: Outcome, status: number): void {
    record.outcome = outcome;
    record.status = status;
    this.data.requests++;
    bump(this.data.byOutcome, outcome);
    bump(this.data.byStatus, String(status));
    if (record.model) bump(this.data.byModel, record.model);
    if (record.stream) this.data.streamed++;
    if (record.critique === 'PASS') this.data.critique.pass++;
    if (record.critique === 'REVISE') this.data.critique.revise++;
  }

  bill(record: RequestRecord, prompt: number, completion: number): void {
    record.promptTokens = prompt;
    record.completionTokens = completion;
    this.data.promptTokens += prompt;
    this.data.completionTokens += completion;
    this.data.totalTokens += prompt + completion;
  }

  /** A deep copy, so callers can keep or mutate it without touching live counters. */
  snapshot(): SimStats {
    return structuredClone(this.data);
  }
}
