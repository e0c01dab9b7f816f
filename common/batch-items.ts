import type { Framework } from './frameworks';
import type { Usd } from './money';

/**
 * What a batch generates, and item <n> of it, derived from the spec by index alone: workflows
 * never hold (or write into history) an expanded list of 10,000 items, and any process can
 * name item <n> of any batch. Pure code: the batch workflow imports it.
 */
export interface CharacterPair {
  primaryCharacter: string;
  secondaryCharacter: string;
}

export type BatchItemSource =
  | { kind: 'pairs'; pairs: CharacterPair[] }
  /** `count` pairs drawn in a fixed order from the product primaryNames x secondaryNames. */
  | { kind: 'generate'; count: number; primaryNames: string[]; secondaryNames: string[] };

/**
 * How a batch runs its items (issue 18, BENCHMARKS.md "Lean durable stories"):
 *  - `activity`: each item is one activity of the batch workflow (generate, then store the story
 *    in the same attempt): its record is its story row and audit rows (keyed `<batchId>/item-<n>`
 *    as before) and its activity in the batch's history. About a third of the CPU per story.
 *  - `workflow`: each item is its own child storyWorkflow (`<batchId>/item-<n>`), one run per
 *    story in the Temporal UI, at about three times the CPU.
 */
export const BATCH_ITEM_MODES = ['activity', 'workflow'] as const;
export type BatchItemMode = (typeof BATCH_ITEM_MODES)[number];
/** What a new batch gets when its request names no mode. */
export const DEFAULT_BATCH_ITEM_MODE: BatchItemMode = 'activity';

export interface BatchSpec {
  source: BatchItemSource;
  /** Every pair is generated once per framework: items = pairs x frameworks. */
  frameworks: Framework[];
  /** Children running at once when the batch starts (an Update changes it later). */
  concurrency: number;
  /** Stop starting items once this much was spent; absent = no cap. */
  budgetUsd?: Usd;
  /** Continue-as-new after this many items were started in one run (history stays small). */
  continueAsNewAfter?: number;
  /** Free text shown in summaries; no personal data expected. */
  label?: string;
  /** Absent in specs from before item modes: those batches run `workflow` (their old shape). */
  itemMode?: BatchItemMode;
}

export interface BatchItem extends CharacterPair {
  index: number;
  framework: Framework;
}

export const MAX_BATCH_ITEMS = 100_000;
export const DEFAULT_CONTINUE_AS_NEW_AFTER = 500;

/**
 * Starts per run before a batch continues as new, unless its spec says. Each handover drains the
 * window (no running item crosses it), so runs are as long as their histories allow: a child-run
 * item adds ~4 events to the batch's history, an item activity ~3.5 with no run of its own, so
 * activity runs take twice the items (~3,500 events, under the 4,096 at which Temporal suggests
 * continue-as-new, which ends a run early anyway). Bigger windows get longer runs.
 */
export function defaultContinueAsNewAfter(mode: BatchItemMode, concurrency: number): number {
  const floor =
    mode === 'activity' ? 2 * DEFAULT_CONTINUE_AS_NEW_AFTER : DEFAULT_CONTINUE_AS_NEW_AFTER;
  return Math.max(floor, Math.min(2_000, 4 * concurrency));
}
export const MIN_BATCH_CONCURRENCY = 1;
export const MAX_BATCH_CONCURRENCY = 500;

export function pairCount(source: BatchItemSource): number {
  return source.kind === 'pairs' ? source.pairs.length : source.count;
}

export function batchSize(spec: Pick<BatchSpec, 'source' | 'frameworks'>): number {
  return pairCount(spec.source) * spec.frameworks.length;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Pair k of a generator: primaries cycle fastest, secondaries advance once per full cycle, and
 * a secondary equal to the primary is skipped (a story needs two characters). The schema
 * guarantees every primary has at least one different secondary.
 */
export function generatedPair(
  primaryNames: string[],
  secondaryNames: string[],
  k: number,
): CharacterPair {
  const primary = primaryNames[k % primaryNames.length];
  const start = Math.floor(k / primaryNames.length) % secondaryNames.length;
  for (let t = 0; t < secondaryNames.length; t++) {
    const secondary = secondaryNames[(start + t) % secondaryNames.length];
    if (!same(primary, secondary))
      return { primaryCharacter: primary, secondaryCharacter: secondary };
  }
  throw new Error(`no secondary name differs from "${primary}"`);
}

/** Item n: pair floor(n / F) with framework n mod F, so a pair's frameworks run side by side. */
export function itemAt(spec: Pick<BatchSpec, 'source' | 'frameworks'>, n: number): BatchItem {
  const total = batchSize(spec);
  if (!Number.isInteger(n) || n < 0 || n >= total)
    throw new RangeError(`item ${n} is outside 0..${total - 1}`);
  const f = spec.frameworks.length;
  const k = Math.floor(n / f);
  const pair =
    spec.source.kind === 'pairs'
      ? spec.source.pairs[k]
      : generatedPair(spec.source.primaryNames, spec.source.secondaryNames, k);
  return { index: n, framework: spec.frameworks[n % f], ...pair };
}

/** `batch-<uuid>/item-<n>`: one ID per item, forever, so a start can never run an item twice. */
export function itemWorkflowId(batchId: string, n: number): string {
  return `${batchId}/item-${n}`;
}

/** The batch and item an itemWorkflowId names; null for any other ID. */
export function parseItemWorkflowId(id: string): { batchId: string; index: number } | null {
  const m = /^(.+)\/item-(\d+)$/.exec(id);
  return m ? { batchId: m[1], index: Number(m[2]) } : null;
}
