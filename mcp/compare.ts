import Decimal from 'decimal.js';
import type { Framework } from '../common/frameworks';
import { addUsd, usdToNumber } from '../common/money';

/** One framework's run in compare_frameworks (the shape of the original's removed tool). */
export interface FrameworkRun {
  success: boolean;
  story: string | null;
  cost: number;
  tokens: number;
  generation_time_ms: number;
  story_length: number;
  model: string | null;
  workflow_id: string;
  story_id?: number;
  /** RUNNING when the wait bound passed first, FAILED with an error otherwise. */
  status: 'COMPLETED' | 'FAILED' | 'RUNNING';
  error?: string;
}

export interface Comparison {
  total_cost: number;
  total_tokens: number;
  successful: number;
  failed: number;
  still_running: number;
  averages: {
    cost: number;
    tokens: number;
    generation_time_ms: number;
    story_length: number;
  } | null;
  winners: {
    fastest: Framework | null;
    cheapest: Framework | null;
    longest_story: Framework | null;
  };
}

/** Totals, averages and winners over the successful runs (ties go to the first listed). */
export function compareRuns(runs: Partial<Record<Framework, FrameworkRun>>): Comparison {
  const entries = Object.entries(runs) as [Framework, FrameworkRun][];
  const ok = entries.filter(([, r]) => r.success);
  const pick = (better: (a: FrameworkRun, b: FrameworkRun) => boolean): Framework | null =>
    ok.reduce<[Framework, FrameworkRun] | null>(
      (best, cur) => (!best || better(cur[1], best[1]) ? cur : best),
      null,
    )?.[0] ?? null;
  const avg = (f: (r: FrameworkRun) => number) =>
    Math.round((ok.reduce((s, [, r]) => s + f(r), 0) / ok.length) * 100) / 100;
  return {
    total_cost: usdToNumber(addUsd(...ok.map(([, r]) => new Decimal(r.cost)))),
    total_tokens: ok.reduce((s, [, r]) => s + r.tokens, 0),
    successful: ok.length,
    failed: entries.filter(([, r]) => r.status === 'FAILED').length,
    still_running: entries.filter(([, r]) => r.status === 'RUNNING').length,
    averages:
      ok.length === 0
        ? null
        : {
            cost: usdToNumber(
              new Decimal(addUsd(...ok.map(([, r]) => new Decimal(r.cost)))).div(ok.length),
            ),
            tokens: avg((r) => r.tokens),
            generation_time_ms: avg((r) => r.generation_time_ms),
            story_length: avg((r) => r.story_length),
          },
    winners: {
      fastest: pick((a, b) => a.generation_time_ms < b.generation_time_ms),
      cheapest: pick((a, b) => a.cost < b.cost),
      longest_story: pick((a, b) => a.story_length > b.story_length),
    },
  };
}
