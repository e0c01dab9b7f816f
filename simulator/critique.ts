// Verdicts for the LangGraph draft -> critique -> revise loop. A test asks for "fail the first
// N critiques of this story" with `x-sim-critique-fails: N`; the count is kept per `x-sim-key`
// (one story's loop), or in one global counter when no key is sent.

const GLOBAL_KEY = '\u0000global';

export class CritiqueCounter {
  private counts = new Map<string, number>();

  /** How many critiques this key had answered before this one (then counts this one). */
  next(key: string | undefined): number {
    const k = key ?? GLOBAL_KEY;
    const before = this.counts.get(k) ?? 0;
    this.counts.set(k, before + 1);
    return before;
  }

  reset(): void {
    this.counts.clear();
  }
}

export function decideVerdict(opts: {
  forcedRevise: boolean;
  failsRequested: number;
  answeredBefore: number;
}): 'PASS' | 'REVISE' {
  if (opts.forcedRevise) return 'REVISE';
  return opts.answeredBefore < opts.failsRequested ? 'REVISE' : 'PASS';
}
