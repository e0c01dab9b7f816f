import { setMaxListeners } from 'node:events';
import { CritiqueCounter } from './critique';
import { FaultPlanner } from './faults';
import { RateLimiter } from './limits';
import { mulberry32, seed32 } from './prng';
import { StatsRecorder } from './stats';
import type { SimulatorOptions } from './types';

export const DEFAULT_MODELS = [
  'quillflow-sim-1',
  'gpt-4o-mini',
  'gpt-4o',
  'gpt-4.1-mini',
  'gpt-3.5-turbo',
];

/** Everything one simulator instance keeps between requests. */
export class SimState {
  readonly seed: string;
  readonly apiKey: string | undefined;
  readonly models: string[];
  readonly stats = new StatsRecorder();
  readonly critique = new CritiqueCounter();
  readonly faults: FaultPlanner;
  readonly limiter: RateLimiter;
  latencyMs: number;
  jitterMs: number;
  /** Aborted when the server closes, releasing held (`timeout`) and sleeping requests. */
  readonly closing = new AbortController();
  private jitterRand: () => number;

  constructor(private readonly opts: SimulatorOptions) {
    this.seed = opts.seed ?? 'quillflow';
    this.apiKey = opts.apiKey;
    this.models = opts.models ?? DEFAULT_MODELS;
    this.faults = new FaultPlanner(this.seed);
    this.limiter = new RateLimiter(opts.limits);
    // Every in-flight request listens on this signal; benchmarks run far more than the
    // default 10 at once, which would otherwise print a (false) leak warning.
    setMaxListeners(0, this.closing.signal);
    this.latencyMs = opts.latencyMs ?? 0;
    this.jitterMs = opts.jitterMs ?? 0;
    this.jitterRand = mulberry32(seed32(`${this.seed}\u0000jitter`));
  }

  /** Base latency plus seeded jitter, unless the request named its own latency. */
  latencyFor(override: number | undefined): number {
    if (override !== undefined) return override;
    const jitter = this.jitterMs > 0 ? Math.floor(this.jitterRand() * (this.jitterMs + 1)) : 0;
    return this.latencyMs + jitter;
  }

  reset(): void {
    this.stats.reset();
    this.critique.reset();
    this.faults.clear();
    this.limiter.set(this.opts.limits ?? {});
    this.latencyMs = this.opts.latencyMs ?? 0;
    this.jitterMs = this.opts.jitterMs ?? 0;
    this.jitterRand = mulberry32(seed32(`${this.seed}\u0000jitter`));
  }
}
