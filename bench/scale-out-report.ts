/** P5's rows as report figures, a Markdown table, and what bounded them (from the measured CPU). */
import { baselineFigure, type BaselineResult } from './baseline';
import type { CpuReport, Figure } from './report';
import { round } from './stats';

export interface ScaleOutRow {
  label: string;
  workers: number;
  wallSeconds: number;
  storiesPerSecond: number;
  completed: number;
  failed: number;
  storiesInDb: number;
  /** By process group: temporal, postgres, worker (all workers), api, bench+simulator. */
  cpuMsPerStory: Record<string, number>;
  workerPeakRssMb: number | null;
  cpu: CpuReport;
  /** The dev-server row's non-durable baseline (same simulator, L and C). */
  baseline?: BaselineResult;
}

const GROUPS: [key: string, title: string][] = [
  ['temporal', 'Temporal'],
  ['postgres', 'PostgreSQL'],
  ['worker', 'workers'],
  ['api', 'API'],
  ['bench+simulator', 'bench+simulator'],
];

const ms = (r: ScaleOutRow, key: string) => r.cpuMsPerStory[key] ?? 0;
const totalMs = (r: ScaleOutRow) =>
  round(
    GROUPS.reduce((s, [k]) => s + ms(r, k), 0),
    1,
  );
const oursCores = (r: ScaleOutRow) =>
  round(
    Object.values(r.cpu.byProcess).reduce((s, p) => s + p.cores, 0),
    2,
  );
const isCluster = (r: ScaleOutRow) => r.label.startsWith('cluster');
/** Throughput against the cluster's first row (its fewest workers). */
const speedUp = (r: ScaleOutRow, rows: ScaleOutRow[]) => {
  const base = rows.find(isCluster);
  return base && isCluster(r)
    ? `${round(r.storiesPerSecond / Math.max(0.001, base.storiesPerSecond), 2)}x`
    : '-';
};

export function scaleOutFigures(rows: ScaleOutRow[], n: number, floorSeconds: number): Figure[] {
  const figures: Figure[] = rows.flatMap((r) => [
    ...(r.baseline ? [baselineFigure(r.baseline)] : []),
    {
      metric: `${r.label}: wall, stories/s`,
      value: `${r.wallSeconds} s (${round(r.wallSeconds / floorSeconds, 2)}x floor), ${r.storiesPerSecond}/s${isCluster(r) ? `, vs 1 worker: ${speedUp(r, rows)}` : ''}`,
    },
    {
      metric: `${r.label}: CPU ms/story`,
      value: `${GROUPS.slice(0, 4)
        .map(([k, t]) => `${t} ${ms(r, k)}`)
        .join(', ')}; total ${totalMs(r)}; ${r.cpu.machineBusyCores}/${r.cpu.cores} cores busy`,
    },
  ]);
  const ok = rows.every((r) => r.completed === n && r.failed === 0 && r.storiesInDb === n);
  figures.push({
    metric: 'stories completed, every row',
    value: rows.map((r) => `${r.completed}/${n}`).join(', '),
    met: ok,
  });
  return figures;
}

/** The Markdown table of BENCHMARKS.md, as lines. */
export function scaleOutTable(rows: ScaleOutRow[], floorSeconds: number): string[] {
  const head = [
    'Temporal',
    'workers',
    'wall',
    'wall / floor',
    'stories/s',
    'vs 1 worker',
    ...GROUPS.map(([, t]) => `${t} CPU ms/story`),
    'total',
    'cores busy: machine (ours)',
  ];
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows
      .map((r) =>
        [
          isCluster(r) ? 'cluster (4 services, PostgreSQL)' : 'dev server (its SQLite, in memory)',
          String(r.workers),
          `${r.wallSeconds} s`,
          `${round(r.wallSeconds / floorSeconds, 2)}x`,
          String(r.storiesPerSecond),
          speedUp(r, rows),
          ...GROUPS.map(([k]) => String(ms(r, k))),
          String(totalMs(r)),
          `${r.cpu.machineBusyCores} of ${r.cpu.cores} (${oursCores(r)})`,
        ].join(' | '),
      )
      .map((line) => `| ${line} |`),
  ];
}

/** What limited the rows: CPU saturation of the machine, and the ceiling the cost per story implies. */
export function scaleOutBound(rows: ScaleOutRow[]): string {
  const cluster = rows.filter(isCluster);
  const dev = rows.find((r) => !isCluster(r));
  if (!cluster.length) return 'no cluster row ran';
  const cores = cluster[0].cpu.cores;
  const saturated = cluster.filter((r) => r.cpu.machineBusyCores >= 0.85 * cores);
  const busy = cluster
    .map(
      (r) =>
        `${r.workers} worker${r.workers > 1 ? 's' : ''} ${r.cpu.machineBusyCores} (ours ${oursCores(r)})`,
    )
    .join(', ');
  const first = cluster[0];
  const last = cluster[cluster.length - 1];
  const split = (r: ScaleOutRow) => GROUPS.map(([k, t]) => `${t} ${ms(r, k)}`).join(', ');
  const ceiling = round((cores * 1000) / Math.max(0.001, totalMs(first)), 1);
  const head =
    saturated.length === cluster.length
      ? `CPU-bound: every cluster row kept the machine's ${cores} cores saturated`
      : saturated.length
        ? `CPU-bound only in part: ${saturated.length} of ${cluster.length} cluster rows saturated the ${cores} cores`
        : `Not CPU-saturated: the cluster rows left part of the ${cores} cores idle, so the bound is latency (round trips through Temporal and PostgreSQL per story), not CPU`;
  return (
    `${head} (cores busy on the whole machine: ${busy}). ` +
    `A story costs ${totalMs(first)} ms of CPU on the cluster with 1 worker (${split(first)})` +
    (dev ? ` against ${totalMs(dev)} ms on the dev server (${split(dev)})` : '') +
    `, so ${cores} cores finish at most ~${ceiling} stories/s there (measured ${first.storiesPerSecond}/s). ` +
    `With ${last.workers} workers: ${last.storiesPerSecond}/s (${speedUp(last, rows)}), ${totalMs(last)} ms per story: ` +
    'more worker processes spread the worker share but add no cores, so on this machine they cannot add throughput once the cores are full.'
  );
}
