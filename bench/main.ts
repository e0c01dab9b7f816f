/**
 * `npm run bench -- [--quick] [--only P1,P2] [--n N] [--latency MS] [--concurrency C] [--db sqlite|postgresql]`
 *
 * Runs the benchmarks of BENCHMARKS.md on the real stack (see harness.ts), prints a table with
 * the targets beside the figures and writes bench/reports/bench-<time>.{json,md} (git-ignored). Missed targets
 * are reported, not fatal: the exit code is non-zero only when something crashed.
 */
import 'reflect-metadata';
import * as path from 'node:path';
import { cleanupsOnSignal, Stack, log } from './harness';
import { BENCHMARKS, parseOptions, type BenchmarkId, type BenchOptions } from './options';
import { runP0 } from './p0-counts';
import { runP1 } from './p1-throughput';
import { runP2 } from './p2-overhead';
import { runP3 } from './p3-scale';
import { runP4 } from './p4-api';
import { runP5 } from './p5-scale-out';
import { machineInfo } from './proc-stats';
import { textTable, writeReports, type BenchReport, type BenchResult } from './report';
import { round } from './stats';

type SharedStackId = Exclude<BenchmarkId, 'P5'>;
const RUNNERS: Record<SharedStackId, (stack: Stack, opts: BenchOptions) => Promise<BenchResult>> = {
  P0: runP0,
  P1: runP1,
  P2: runP2,
  P3: runP3,
  P4: runP4,
};
const TITLES: Record<BenchmarkId, string> = {
  P0: 'per-story counts',
  P1: 'batch throughput',
  P2: 'orchestration overhead',
  P3: 'scale',
  P4: 'API under load',
  P5: 'scale-out on a Temporal cluster',
};
// P0 first: its worker runs in this process and must be the only one on the task queue. Then
// latency-sensitive ones, on a fresh server; the 10,000-item batch after them; P5 last, on
// stacks and a cluster of its own (the shared stack is stopped first, so it adds no load).
const RUN_ORDER: BenchmarkId[] = ['P0', 'P2', 'P4', 'P1', 'P3', 'P5'];

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..', '..');
  const opts = parseOptions(process.argv.slice(2), root);
  const startedAt = new Date();
  const machine = machineInfo();
  log(
    `${opts.label}: ${opts.only.join(', ')} on ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, ` +
      `load average ${machine.loadAverageAtStart.join(' / ')}${opts.quick ? ' (quick mode)' : ''}`,
  );
  const results: BenchResult[] = [];
  let crashed = false;
  let stack: Stack | undefined;
  const stop = async () => {
    await stack?.close();
    stack = undefined;
  };
  const stopAll = async () => {
    for (const cleanup of [...cleanupsOnSignal])
      await cleanup().catch((err: Error) => log(`cleanup: ${err.message}`));
    await stop();
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));

  try {
    for (const id of RUN_ORDER.filter((b) => opts.only.includes(b))) {
      const t0 = performance.now();
      if (id === 'P5') await stop();
      else stack ??= await Stack.start(opts);
      log(`---- ${id} ${TITLES[id]} ----`);
      try {
        results.push(id === 'P5' ? await runP5(opts) : await RUNNERS[id](stack!, opts));
      } catch (err) {
        crashed = true;
        log(`${id} crashed: ${(err as Error).stack ?? String(err)}`);
        results.push({
          id,
          title: TITLES[id],
          status: 'error',
          figures: [],
          notes: [],
          details: {},
          error: (err as Error).stack ?? String(err),
          durationSeconds: round((performance.now() - t0) / 1000),
        });
        await stack?.stopWorker().catch(() => undefined);
      }
      log(`---- ${id} done in ${round((performance.now() - t0) / 1000)} s ----`);
    }
  } catch (err) {
    crashed = true;
    log(`harness failed: ${(err as Error).stack ?? String(err)}`);
  } finally {
    await stop();
  }

  results.sort((a, b) => BENCHMARKS.indexOf(a.id) - BENCHMARKS.indexOf(b.id));
  const { outDir, ...reportedOptions } = opts;
  const report: BenchReport = {
    tool: 'quillflow-bench',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    label: opts.label,
    quick: opts.quick,
    machine,
    options: reportedOptions,
    results,
  };
  const files = writeReports(report, outDir);
  const missed = results.flatMap((r) =>
    r.figures
      .filter((f) => f.met === false)
      .map((f) => `${r.id} ${f.metric}: ${f.value} (target ${f.target ?? 'n/a'})`),
  );
  const out = [
    '',
    `Quillflow benchmarks (${opts.label}) on ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}` +
      `${opts.quick ? ' - QUICK MODE: CI-sized, figures not comparable to the targets' : ''}`,
    '',
    textTable(results),
    '',
    ...results.filter((r) => r.bound).map((r) => `${r.id} bound: ${r.bound}`),
    missed.length
      ? `\nTargets missed (${missed.length}), reported, not fatal:\n  ${missed.join('\n  ')}`
      : crashed
        ? ''
        : '\nEvery target was met.',
    `\nReport: ${files.md}\n        ${files.json}`,
    crashed ? '\nA benchmark CRASHED (see above): exit code 1.' : '',
    '',
  ];
  process.stdout.write(out.join('\n'));
  return crashed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
