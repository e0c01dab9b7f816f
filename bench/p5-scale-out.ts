/**
 * P5 scale-out on a Temporal cluster (issue 13): the same batch as P1 (N stories, Semantic
 * Kernel, latency L, window C) on the dev server with one worker, then on a real four-service
 * Temporal cluster on PostgreSQL (temporal/cluster, started once, fresh databases dropped after)
 * with 1, 2, 4 worker processes on one task queue. Quillflow's data is on PostgreSQL in every
 * row (a fresh database each), so rows differ only in Temporal and the number of workers.
 * Per row: wall, stories/s and CPU ms per story of each process group.
 */
import * as os from 'node:os';
import { startThrowawayCluster } from '../temporal/cluster/throwaway';
import { runBatch } from './batch-driver';
import {
  cleanupsOnSignal,
  DEFAULT_POSTGRES_URL,
  log,
  Stack,
  type ExternalTemporal,
} from './harness';
import type { BenchOptions } from './options';
import { postgresCpuSeconds } from './proc-stats';
import type { BenchResult, CpuReport } from './report';
import {
  scaleOutBound,
  scaleOutFigures,
  scaleOutTable,
  type ScaleOutRow,
} from './scale-out-report';
import { round } from './stats';

export async function runP5(opts: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const rowOpts: BenchOptions = { ...opts, db: 'postgresql' };
  process.env.TEST_POSTGRES_URL ??= DEFAULT_POSTGRES_URL;
  const rows: ScaleOutRow[] = [await measureRow(rowOpts, 'dev server', 1)];

  const throwaway = await startThrowawayCluster({
    adminUrl: process.env.TEST_POSTGRES_URL,
    user: 'quillflow_bench_temporal',
    databasePrefix: 'qf_bench_temporal',
    parentDir: os.tmpdir(),
    log: (m) => log(`cluster: ${m}`),
  });
  const close = () => throwaway.close();
  cleanupsOnSignal.add(close);
  try {
    const { cluster } = throwaway;
    const external: ExternalTemporal = {
      address: cluster.address,
      namespace: cluster.namespace,
      cpuSeconds: () => cluster.cpuSeconds(),
    };
    for (const n of opts.scaleOutWorkers)
      rows.push(await measureRow(rowOpts, `cluster, ${n} worker${n > 1 ? 's' : ''}`, n, external));
  } finally {
    cleanupsOnSignal.delete(close);
    await close();
  }

  const cpu: Record<string, CpuReport> = Object.fromEntries(rows.map((r) => [r.label, r.cpu]));
  const floor = (opts.scaleOutN * opts.latencyMs) / 1000 / opts.concurrency;
  return {
    id: 'P5',
    title: 'scale-out on a Temporal cluster',
    status: 'ok',
    figures: scaleOutFigures(rows, opts.scaleOutN, floor),
    bound: scaleOutBound(rows),
    notes: [
      `N=${opts.scaleOutN}, L=${opts.latencyMs} ms, C=${opts.concurrency} (as P1): floor N*L/C = ${round(floor, 2)} s. Every row on a fresh PostgreSQL ` +
        `database for Quillflow's data; the cluster (frontend, history, matching, worker; persistence and visibility on the same PostgreSQL) ` +
        `started once, its databases dropped at the end.`,
      'CPU ms per story: temporal = the dev server (process tree) or the four cluster services (process groups); postgres = every `postgres` ' +
        "process (all backends: Quillflow's queries too, and any other client of the server) plus exited backends; workers = sum over the worker processes.",
    ],
    table: scaleOutTable(rows, floor),
    cpu,
    details: { floorSeconds: floor, rows: rows.map(({ cpu: _cpu, ...r }) => r) },
    durationSeconds: round((performance.now() - started) / 1000),
  };
}

/** One row: a fresh stack (API, database, simulator) on `external` or its own dev server, `workers` worker processes. */
async function measureRow(
  opts: BenchOptions,
  label: string,
  workers: number,
  external?: ExternalTemporal,
): Promise<ScaleOutRow> {
  log(`P5 ${label}: starting`);
  const stack = await Stack.start(opts, external);
  const close = () => stack.close();
  cleanupsOnSignal.add(close);
  try {
    const ws = await stack.startWorkers(workers);
    const r = await runBatch(stack, ws, {
      n: opts.scaleOutN,
      latencyMs: opts.latencyMs,
      concurrency: opts.concurrency,
      label: `P5 ${label}`,
      itemMode: opts.itemMode,
      sampleChildren: 3,
      extraCpu: { postgres: (procs) => postgresCpuSeconds(procs) },
    });
    log(
      `P5 ${label}: ${r.wallSeconds} s, ${r.throughputPerSecond} stories/s, CPU ms/story ${JSON.stringify(r.cpuMsPerStory)}`,
    );
    return {
      label,
      workers,
      wallSeconds: r.wallSeconds,
      storiesPerSecond: r.throughputPerSecond,
      completed: r.report.completed,
      failed: r.report.failed,
      storiesInDb: r.storiesInDb,
      cpuMsPerStory: r.cpuMsPerStory,
      workerPeakRssMb: r.workerPeakRssMb,
      cpu: r.cpu,
    };
  } finally {
    cleanupsOnSignal.delete(close);
    await close();
  }
}
