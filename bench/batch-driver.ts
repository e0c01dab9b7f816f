/**
 * Runs one batch through the real API (POST /api/batches) and measures it: wall time from the
 * POST to the batch workflow's result (following continue-as-new), CPU per process, the
 * workers' peak RSS, and history lengths of the batch runs and a sample of its children.
 */
import type { BatchItemMode } from '../common/batch-items';
import type { BatchReport } from '../common/batch-types';
import { batchProgressQuery } from '../workflows/batch.definitions';
import type { batchWorkflow } from '../workflows/batch.workflow';
import { generateFrom } from '../test/support/batch-names';
import { httpJson, log, type ChildHandle, type Stack } from './harness';
import { CpuMeter, memoryMb, type CpuSource } from './proc-stats';
import type { CpuReport } from './report';
import { round } from './stats';

export interface BatchRunSpec {
  n: number;
  latencyMs: number;
  concurrency: number;
  continueAsNewAfter?: number;
  label: string;
  /** Describe this many children (evenly spaced) for their history length. */
  sampleChildren: number;
  /** More processes to account beside temporal, worker, api and the bench (e.g. PostgreSQL). */
  extraCpu?: Record<string, CpuSource>;
  /** The batch's item mode (absent: the API's default). */
  itemMode?: BatchItemMode;
}

export interface HistoryFigures {
  batchRuns: { runId: string; status: string; historyLength: number }[];
  maxBatchRunHistory: number;
  childrenSampled: number;
  maxChildHistory: number;
  medianChildHistory: number;
}

export interface BatchRunResult {
  batchId: string;
  wallSeconds: number;
  /** The batch's own duration (first run start to report), from the report. */
  reportDurationSeconds: number;
  report: BatchReport;
  storiesInDb: number;
  llmRequests: number;
  /** The largest among the workers (VmHWM), and likewise the RSS at the end. */
  workerPeakRssMb: number | null;
  workerRssAtEndMb: number | null;
  temporalPeakRssMb: number | null;
  cpu: CpuReport;
  histories: HistoryFigures;
  throughputPerSecond: number;
  /** CPU milliseconds per completed story, by process: load-independent cost of one story. */
  cpuMsPerStory: Record<string, number>;
  /** What 2 dedicated cores would allow at that cost: cores * 1000 / (sum of our CPU ms per story). */
  cpuBoundStoriesPerSecond: number;
}

/** `workers`: one or more worker processes on the stack's task queue ("worker" is their sum). */
export async function runBatch(
  stack: Stack,
  workers: ChildHandle | ChildHandle[],
  spec: BatchRunSpec,
): Promise<BatchRunResult> {
  const all = Array.isArray(workers) ? workers : [workers];
  const worker = all[0];
  const api = await stack.startApi();
  stack.sim.reset();
  stack.sim.setLatency(spec.latencyMs, 0);
  const client = stack.temporal.client;
  const meter = new CpuMeter({
    temporal: stack.temporalCpu(),
    worker: all.length === 1 ? worker.pid : all.map((w) => w.pid),
    api: api.pid,
    'bench+simulator': process.pid,
    ...spec.extraCpu,
  });
  let temporalPeak = 0;
  const body = {
    generate: generateFrom(spec.n),
    frameworks: ['semantic-kernel'],
    concurrency: spec.concurrency,
    ...(spec.continueAsNewAfter !== undefined
      ? { continueAsNewAfter: spec.continueAsNewAfter }
      : {}),
    ...(spec.itemMode ? { itemMode: spec.itemMode } : {}),
    label: spec.label,
  };
  meter.start();
  const t0 = performance.now();
  const res = await httpJson(stack.apiUrl, 'POST', '/api/batches', body);
  if (res.status !== 202)
    throw new Error(
      `POST /api/batches answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`,
    );
  const batchId = (res.body as { batchId: string }).batchId;
  log(
    `${spec.label}: batch ${batchId}, ${spec.n} stories, L=${spec.latencyMs} ms, C=${spec.concurrency}`,
  );

  const handle = client.workflow.getHandle<typeof batchWorkflow>(batchId);
  let done = false;
  const progress = (async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, 5_000));
      if (done) break;
      temporalPeak = Math.max(temporalPeak, stack.temporalRssMb() ?? 0);
      try {
        const p = await handle.query(batchProgressQuery);
        const rss = worker.memory();
        log(
          `${spec.label}: ${p.completed}/${p.total} done, ${p.failed} failed, ${p.running} running, run ${p.runs}, ` +
            `${round((performance.now() - t0) / 1000)} s, worker RSS ${rss ? Math.round(rss.rssMb) : '?'} MB`,
        );
      } catch {
        /* between runs (continue-as-new): the next tick will answer */
      }
    }
  })();
  let report: BatchReport;
  try {
    report = await handle.result();
  } finally {
    done = true;
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = meter.stop();
  const mems = all.map((w) => memoryMb(w.pid)).filter((m) => m !== undefined);
  const mem = mems.length
    ? { hwmMb: Math.max(...mems.map((m) => m.hwmMb)), rssMb: Math.max(...mems.map((m) => m.rssMb)) }
    : undefined;
  temporalPeak = Math.max(temporalPeak, stack.temporalRssMb() ?? 0);
  await progress;

  const storiesInDb = await stack.db.prisma.story.count({ where: { batchId } });
  const cpuMsPerStory = Object.fromEntries(
    Object.entries(cpu.byProcess).map(([name, c]) => [
      name,
      round((c.cpuSeconds * 1000) / Math.max(1, report.completed), 1),
    ]),
  );
  const perStory = Object.values(cpuMsPerStory).reduce((a, b) => a + b, 0);
  const histories = await historyFigures(stack, batchId, spec.n, spec.sampleChildren);
  return {
    batchId,
    wallSeconds: round(wallSeconds, 2),
    reportDurationSeconds: report.durationSeconds,
    report: { ...report, failedItems: report.failedItems.slice(0, 5) },
    storiesInDb,
    llmRequests: stack.sim.stats().requests,
    workerPeakRssMb: mem ? round(mem.hwmMb) : null,
    workerRssAtEndMb: mem ? round(mem.rssMb) : null,
    temporalPeakRssMb: temporalPeak ? round(temporalPeak) : null,
    cpu,
    histories,
    throughputPerSecond: round(report.completed / wallSeconds, 1),
    cpuMsPerStory,
    cpuBoundStoriesPerSecond: round((cpu.cores * 1000) / Math.max(0.001, perStory), 1),
  };
}

/** Every run of the batch (visibility + describe), and a sample of its children (describe). */
async function historyFigures(
  stack: Stack,
  batchId: string,
  n: number,
  sample: number,
): Promise<HistoryFigures> {
  const client = stack.temporal.client;
  const runIds = new Set<string>();
  // Visibility is eventually consistent: a closed run may show up a moment later.
  for (let attempt = 0; attempt < 5; attempt++) {
    for await (const wf of client.workflow.list({ query: `WorkflowId = '${batchId}'` }))
      runIds.add(wf.runId);
    const latest = await client.workflow.getHandle(batchId).describe();
    runIds.add(latest.runId);
    if (runIds.size > 0 && attempt > 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const batchRuns = [];
  for (const runId of runIds) {
    const d = await client.workflow.getHandle(batchId, runId).describe();
    batchRuns.push({ runId, status: d.status.name, historyLength: d.historyLength });
  }
  const indices = new Set<number>();
  const k = Math.min(sample, n);
  for (let i = 0; i < k; i++) indices.add(Math.floor((i * (n - 1)) / Math.max(1, k - 1)));
  const lengths: number[] = [];
  for (const i of indices) {
    try {
      const d = await client.workflow.getHandle(`${batchId}/item-${i}`).describe();
      lengths.push(d.historyLength);
    } catch {
      /* an item that never started (budget/cancel): none here */
    }
  }
  lengths.sort((a, b) => a - b);
  return {
    batchRuns,
    maxBatchRunHistory: Math.max(0, ...batchRuns.map((r) => r.historyLength)),
    childrenSampled: lengths.length,
    maxChildHistory: Math.max(0, ...lengths),
    medianChildHistory: lengths[Math.floor(lengths.length / 2)] ?? 0,
  };
}
