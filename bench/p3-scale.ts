/**
 * P3 scale: a 10,000-item batch through the API: wall time, the worker's peak RSS (VmHWM of
 * its own process, started fresh for this run) and the longest event history among the batch's
 * runs (continue-as-new included) and a sample of its children.
 */
import { runBatch } from './batch-driver';
import { cpuBoundText } from './bounds';
import type { Stack } from './harness';
import type { BenchOptions } from './options';
import type { BenchResult } from './report';
import { fmtS, round } from './stats';

export const P3_RSS_LIMIT_MB = 400;
export const P3_HISTORY_LIMIT = 10_000;

export async function runP3(stack: Stack, opts: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const worker = await stack.startWorker('worker-p3');
  const r = await runBatch(stack, worker, {
    n: opts.scaleN,
    latencyMs: opts.latencyMs,
    concurrency: opts.concurrency,
    continueAsNewAfter: opts.continueAsNewAfter,
    label: 'P3',
    sampleChildren: 50,
    itemMode: opts.itemMode,
  });
  await stack.stopWorker();
  const ok =
    r.report.completed === opts.scaleN && r.report.failed === 0 && r.storiesInDb === opts.scaleN;
  const maxHistory = Math.max(r.histories.maxBatchRunHistory, r.histories.maxChildHistory);
  const rssMet = r.workerPeakRssMb === null ? null : r.workerPeakRssMb <= P3_RSS_LIMIT_MB;
  const histMet = maxHistory <= P3_HISTORY_LIMIT;
  const floor = (opts.scaleN * opts.latencyMs) / 1000 / opts.concurrency;
  const notes = [
    `N=${opts.scaleN}, L=${opts.latencyMs} ms, C=${opts.concurrency}, continue-as-new after ${opts.continueAsNewAfter ?? 'the default (500)'} starts: ` +
      `${r.report.runs} batch run(s). Floor N*L/C = ${fmtS(floor)}; ${r.throughputPerSecond} stories/s.`,
    `Completed ${r.report.completed}, failed ${r.report.failed}, stories in the database ${r.storiesInDb}.`,
    `Histories: batch runs ${r.histories.batchRuns.map((b) => b.historyLength).join(', ')}; ` +
      `children (${r.histories.childrenSampled} sampled) median ${r.histories.medianChildHistory}, max ${r.histories.maxChildHistory}.`,
    `Worker started fresh for this run as npm start and docker compose start it (V8 heap limit WORKER_HEAP_MB=${stack.config().env.WORKER_HEAP_MB} MB` +
      `${opts.workerNodeArgs.length ? `, then ${opts.workerNodeArgs.join(' ')}` : ''}), ` +
      `${opts.arenaMax ? 'with MALLOC_ARENA_MAX=2 (--no-arena-max for stock glibc)' : 'with stock glibc malloc settings (--no-arena-max)'}. ` +
      `Worker RSS at the end ${r.workerRssAtEndMb ?? '?'} MB; dev server peak RSS ${r.temporalPeakRssMb ?? '?'} MB (sampled every 5 s).`,
  ];
  if (!ok) notes.push('WARNING: the batch did not complete every item exactly once; see details.');
  const bounds: string[] = [];
  if (rssMet === false) {
    bounds.push(
      `worker RSS ${r.workerPeakRssMb} MB: a fixed part (code, native Temporal core, Prisma's query compiler, gpt-tokenizer, the workflow isolate; ~180-210 MB), ` +
        'the rest V8 heap (bounded by WORKER_HEAP_MB) and malloc arenas (MALLOC_ARENA_MAX) that grow with the story rate (BENCHMARKS.md, "Worker memory")',
    );
  }
  if (!histMet)
    bounds.push(`history ${maxHistory} events: continue-as-new threshold too high for this window`);
  return {
    id: 'P3',
    title: 'scale',
    status: 'ok',
    figures: [
      {
        metric: `wall, N=${opts.scaleN}`,
        value: `${fmtS(r.wallSeconds)} (floor ${fmtS(floor)}, ${round(r.wallSeconds / floor, 2)}x)`,
      },
      {
        metric: 'worker peak RSS (VmHWM)',
        value: r.workerPeakRssMb === null ? 'n/a' : `${r.workerPeakRssMb} MB`,
        target: `<= ${P3_RSS_LIMIT_MB} MB`,
        met: rssMet,
      },
      {
        metric: 'largest history',
        value: `${maxHistory} events (batch run ${r.histories.maxBatchRunHistory}, child ${r.histories.maxChildHistory})`,
        target: `<= ${P3_HISTORY_LIMIT}`,
        met: histMet,
      },
      {
        metric: 'stories completed',
        value: `${r.report.completed}/${opts.scaleN}, ${r.report.failed} failed`,
        met: ok,
      },
    ],
    bound: bounds.length ? bounds.join('; ') : undefined,
    notes: [
      ...notes,
      `Throughput limit: ${cpuBoundText(r.cpu)}. CPU per story (ms): ${Object.entries(
        r.cpuMsPerStory,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
    ],
    cpu: r.cpu,
    details: { ...r, floorSeconds: floor },
    durationSeconds: round((performance.now() - started) / 1000),
  };
}
