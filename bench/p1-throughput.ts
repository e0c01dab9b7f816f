/**
 * P1 batch throughput: N stories (Semantic Kernel, one LLM call each) through POST /api/batches
 * with the window = provider concurrency C, simulated latency L. The floor is N*L/C: the time
 * the provider alone needs; the figure is wall time / floor (target <= 1.5, issue 18).
 */
import { BASELINE_TITLES, runBaseline, type BaselineResult } from './baseline';
import { runBatch } from './batch-driver';
import { cpuBoundText } from './bounds';
import type { Stack } from './harness';
import type { BenchOptions } from './options';
import { postgresCpuSeconds } from './proc-stats';
import type { BenchResult, Figure } from './report';
import { fmtS, round } from './stats';

/** Issue 18's target for N=1000, L=500 ms, C=50 (it replaced the first plan's 1.15x). */
export const P1_TARGET_RATIO = 1.5;
/** Issue 18: CPU per batch story, all processes together (Temporal, database, worker, API). */
export const P1_TARGET_CPU_MS = 25;

export async function runP1(stack: Stack, opts: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const worker = await stack.ensureWorker();
  // The same stories without durability first, on the same simulator: the figures below are read as ratios to them.
  const baselines: BaselineResult[] = [];
  for (const kind of ['sdk', 'activities'] as const)
    baselines.push(await runBaseline(stack, kind, opts.n, opts.concurrency, opts.latencyMs));
  const r = await runBatch(stack, worker, {
    n: opts.n,
    latencyMs: opts.latencyMs,
    concurrency: opts.concurrency,
    label: 'P1',
    sampleChildren: 10,
    itemMode: opts.itemMode,
    ...(opts.db === 'postgresql'
      ? { extraCpu: { postgres: (procs) => postgresCpuSeconds(procs) } }
      : {}),
  });
  const [sdk] = baselines;
  // Every process of the stack: Temporal, worker, API, the bench (client + simulator), PostgreSQL when used.
  const allMs = round(
    Object.values(r.cpuMsPerStory).reduce((a, b) => a + b, 0),
    1,
  );
  const parts = Object.entries(r.cpuMsPerStory)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const baselineFigures: Figure[] = baselines.map((b) => ({
    metric: `baseline, ${BASELINE_TITLES[b.kind]}`,
    value: `${fmtS(b.wallSeconds)} (${b.floorRatio}x floor), CPU ${b.cpuMsPerStory} ms/story`,
  }));
  const floor = (opts.n * opts.latencyMs) / 1000 / opts.concurrency;
  const ratio = r.wallSeconds / Math.max(floor, 0.001);
  const ok = r.report.completed === opts.n && r.report.failed === 0 && r.storiesInDb === opts.n;
  const met = ratio <= P1_TARGET_RATIO;
  const notes = [
    `N=${opts.n}, L=${opts.latencyMs} ms, C=${opts.concurrency}: floor N*L/C = ${fmtS(floor)}. Wall = POST /api/batches to the batch workflow's result ` +
      `(${r.report.runs} run(s), continue-as-new included); the batch's own report says ${r.reportDurationSeconds} s.`,
    `Item mode: ${opts.itemMode ?? 'the API default'}. Completed ${r.report.completed}, failed ${r.report.failed}, stories in the database ${r.storiesInDb}, LLM requests ${r.llmRequests}.`,
    `Throughput ${r.throughputPerSecond} stories/s (the floor needs ${round(opts.concurrency / (opts.latencyMs / 1000 || 1), 1)}/s).`,
    `CPU per story (ms): ${Object.entries(r.cpuMsPerStory)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; ` +
      `at that cost ${r.cpu.cores} dedicated cores would allow about ${r.cpuBoundStoriesPerSecond} stories/s.`,
  ];
  if (!ok) notes.push('WARNING: the batch did not complete every item exactly once; see details.');
  return {
    id: 'P1',
    title: 'batch throughput',
    status: 'ok',
    figures: [
      {
        metric: `wall, N=${opts.n} L=${opts.latencyMs}ms C=${opts.concurrency}`,
        value: `${fmtS(r.wallSeconds)} (floor ${fmtS(floor)})`,
      },
      {
        metric: 'wall / floor',
        value: `${round(ratio, 2)}x`,
        target: `<= ${P1_TARGET_RATIO}x`,
        met,
      },
      {
        metric: 'stories completed',
        value: `${r.report.completed}/${opts.n}, ${r.report.failed} failed`,
        met: ok,
      },
      {
        metric: 'CPU per story, all processes',
        value: `${allMs} ms (${parts}) = ${round(allMs / Math.max(0.01, sdk.cpuMsPerStory), 1)}x the openai-SDK baseline; wall ${round(r.wallSeconds / Math.max(0.001, sdk.wallSeconds), 2)}x its wall`,
        target: `<= ${P1_TARGET_CPU_MS} ms`,
        met: allMs <= P1_TARGET_CPU_MS,
      },
      ...baselineFigures,
    ],
    bound: met
      ? undefined
      : `${cpuBoundText(r.cpu)}. CPU cost per story: ${Object.entries(r.cpuMsPerStory)
          .map(([k, v]) => `${k} ${v} ms`)
          .join(', ')} ` +
        `-> at most ~${r.cpuBoundStoriesPerSecond} stories/s on ${r.cpu.cores} dedicated cores, vs ${round(opts.concurrency / (opts.latencyMs / 1000 || 1), 1)}/s needed for the floor`,
    notes,
    cpu: r.cpu,
    details: {
      ...r,
      floorSeconds: floor,
      ratio: round(ratio, 3),
      cpuMsPerStoryAllProcesses: allMs,
      baselines,
    },
    durationSeconds: round((performance.now() - started) / 1000),
  };
}
