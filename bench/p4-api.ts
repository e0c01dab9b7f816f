/**
 * P4 API under load: GET /api/runs/:workflowId (status, result, cost and LLM attempts of a
 * finished story run: Temporal describe + result + database) and GET /api/stories/:id
 * (database), each at a fixed offered rate with autocannon: p50/p99 latency and errors. Then
 * GET /api/batches/:id of a batch with a large window (500) while it runs: live progress from
 * the workflow while the worker and Temporal are at their busiest.
 */
import type { BatchProgress } from '../common/batch-types';
import { batchProgressQuery } from '../workflows/batch.definitions';
import type { batchWorkflow } from '../workflows/batch.workflow';
import { apiRuntimeWindow, describeApiRuntime } from './api-runtime';
import { cpuBoundText } from './bounds';
import { httpJson, log, sleep, type Stack } from './harness';
import type { BenchOptions } from './options';
import { CpuMeter, type CpuSource } from './proc-stats';
import type { BenchResult, CpuReport, Figure } from './report';
import { round } from './stats';

export const P4_P99_LIMIT_MS = 50;
/** GET /api/batches/:id while a 500-window batch runs (issue 18). */
export const P4_BATCH_P99_LIMIT_MS = 100;

interface Histogram {
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  total?: number;
}
interface AutocannonResult {
  latency: Histogram;
  requests: Histogram & { total: number; sent?: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  statusCodeStats?: Record<string, { count: number }>;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  overallRate: number;
  duration: number;
  timeout?: number;
  workers?: number;
}) => Promise<AutocannonResult>;

// autocannon ships no type declarations; the shape above is its documented result.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

interface Measured {
  figures: Figure[];
  detail: Record<string, unknown>;
  cpu: CpuReport;
  bound?: string;
}

/** One endpoint at a fixed offered rate after a short warm-up: latency, errors, CPU per request. */
async function measure(
  stack: Stack,
  opts: BenchOptions,
  m: {
    name: string;
    path: string;
    rate: number;
    connections: number;
    limitMs: number;
    cpu: Record<string, CpuSource>;
  },
): Promise<Measured> {
  const url = stack.apiUrl + m.path;
  // A short warm-up at the same rate (JIT, connection pools), not measured.
  await autocannon({
    url,
    connections: m.connections,
    overallRate: m.rate,
    duration: opts.quick ? 1 : 3,
  });
  const runtime = await apiRuntimeWindow(stack.apiUrl);
  const meter = new CpuMeter({ ...m.cpu, 'bench+autocannon': process.pid });
  meter.start();
  const r = await autocannon({
    url,
    connections: m.connections,
    overallRate: m.rate,
    duration: opts.durationSeconds,
    timeout: 10,
    // Its own thread: sharing the bench's event loop (the simulator, the CPU sampling) added
    // stalls of ~100 ms to the measured p99 (BENCHMARKS.md, "P4: the load generator's thread").
    workers: 1,
  });
  const c = meter.stop();
  const apiRuntime = await runtime.end();
  const errors = r.errors + r.non2xx;
  const achieved = round(r.requests.total / r.duration, 1);
  log(
    `P4 ${m.name}: p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.requests.total} requests (${achieved}/s), ${errors} errors; ` +
      describeApiRuntime(apiRuntime),
  );
  const met = r.latency.p99 <= m.limitMs && errors === 0;
  // CPU per request, by process: what the offered rate costs regardless of other load.
  const cpuMsPerRequest = Object.fromEntries(
    Object.entries(c.byProcess).map(([k, v]) => [
      k,
      round((v.cpuSeconds * 1000) / Math.max(1, r.requests.total), 2),
    ]),
  );
  const ours = (cpuMsPerRequest.api ?? 0) + (cpuMsPerRequest.temporal ?? 0);
  const coresNeeded = round((ours * m.rate) / 1000, 2);
  return {
    figures: [
      {
        metric: `${m.name} p50 / p99`,
        value: `${r.latency.p50} / ${r.latency.p99} ms`,
        target: `p99 <= ${m.limitMs} ms`,
        met: r.latency.p99 <= m.limitMs,
      },
      {
        metric: `${m.name} requests, errors`,
        value: `${r.requests.total} at ${achieved}/s, ${errors} errors (${r.non2xx} non-2xx, ${r.timeouts} timeouts)`,
        target: '0 errors',
        met: errors === 0,
      },
    ],
    detail: {
      latencyMs: {
        average: r.latency.average,
        p50: r.latency.p50,
        p90: r.latency.p90,
        p99: r.latency.p99,
        max: r.latency.max,
      },
      requests: r.requests.total,
      offeredRate: m.rate,
      achievedRate: achieved,
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      statusCodes: r.statusCodeStats,
      cpuMsPerRequest,
      coresNeededAtOfferedRate: coresNeeded,
      apiRuntime,
    },
    cpu: c,
    bound: met
      ? undefined
      : `${m.name}: ${cpuBoundText(c)}; each request costs ${cpuMsPerRequest.api} ms of API CPU and ${cpuMsPerRequest.temporal} ms of Temporal CPU, ` +
        `so ${m.rate} req/s needs ${coresNeeded} cores of ${c.cores}; ${describeApiRuntime(apiRuntime)}`,
  };
}

export async function runP4(stack: Stack, opts: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const worker = await stack.ensureWorker();
  const api = await stack.startApi();
  stack.sim.reset();
  stack.sim.setLatency(0, 0);

  // A finished story run to read: made through the API like any client would.
  const made = await httpJson(stack.apiUrl, 'POST', '/api/stories?wait=true', {
    primaryCharacter: 'Alice',
    secondaryCharacter: 'Bob',
    framework: 'semantic-kernel',
  });
  if (made.status !== 201)
    throw new Error(
      `POST /api/stories?wait=true answered ${made.status}: ${JSON.stringify(made.body).slice(0, 400)}`,
    );
  const { links } = made.body as { links: { run: string; story: string } };
  const runPath = links.run;
  const storyPath = links.story;
  for (const p of [runPath, storyPath]) {
    const r = await httpJson(stack.apiUrl, 'GET', p);
    if (r.status !== 200) throw new Error(`GET ${p} answered ${r.status} before the load`);
  }

  const figures: Figure[] = [];
  const details: Record<string, unknown> = { runPath, storyPath };
  const cpu: Record<string, CpuReport> = {};
  const bounds: string[] = [];
  const record = (name: string, r: Measured, extra: Record<string, unknown> = {}) => {
    figures.push(...r.figures);
    details[name] = { ...r.detail, ...extra };
    cpu[name] = r.cpu;
    if (r.bound) bounds.push(r.bound);
  };
  for (const [name, p] of [
    ['GET /api/runs/:id', runPath],
    ['GET /api/stories/:id', storyPath],
  ] as const) {
    record(
      name,
      await measure(stack, opts, {
        name,
        path: p,
        rate: opts.rate,
        connections: opts.connections,
        limitMs: P4_P99_LIMIT_MS,
        cpu: { api: api.pid, temporal: stack.temporalPid },
      }),
    );
  }

  const batch = await measureBatchDetail(stack, opts, api.pid, worker.pid);
  record(batch.name, batch.measured, batch.extra);
  figures.push(batch.progressFigure);

  return {
    id: 'P4',
    title: 'API under load',
    status: 'ok',
    figures,
    bound: bounds.length ? bounds.join('; ') : undefined,
    notes: [
      `${opts.rate} req/s offered for ${opts.durationSeconds} s per endpoint over ${opts.connections} connections (autocannon, latencies corrected for coordinated omission), after a short warm-up. ` +
        'The API runs in its own process with LOG_LEVEL=' +
        opts.logLevel +
        ' (one access-log line per request) and the per-IP rate limiter off.',
      `GET /api/runs/:id reads a finished Semantic Kernel story run (${runPath}); GET /api/stories/:id its story (${storyPath}).`,
      `GET /api/batches/:id: a batch of ${opts.batchN} stories with window ${opts.batchWindow} (simulated latency ${BATCH_LATENCY_MS} ms) started through the API, ` +
        `then ${opts.batchRate} req/s for ${opts.durationSeconds} s over ${BATCH_CONNECTIONS} connections while it runs; the batch is cancelled afterwards.`,
    ],
    cpu,
    details,
    durationSeconds: round((performance.now() - started) / 1000),
  };
}

/** Simulated LLM latency of the P4 batch: as P1's, so its window fills and stays full. */
const BATCH_LATENCY_MS = 500;
const BATCH_CONNECTIONS = 5;

/**
 * GET /api/batches/:id of a batch started through the API with a large window, while it runs:
 * its progress before and after the measurement says the batch was really busy meanwhile.
 */
async function measureBatchDetail(
  stack: Stack,
  opts: BenchOptions,
  apiPid: number,
  workerPid: number,
): Promise<{
  name: string;
  measured: Measured;
  extra: Record<string, unknown>;
  progressFigure: Figure;
}> {
  const name = `GET /api/batches/:id (window ${opts.batchWindow}, running)`;
  stack.sim.reset();
  stack.sim.setLatency(BATCH_LATENCY_MS, 0);
  const res = await httpJson(stack.apiUrl, 'POST', '/api/batches', {
    generate: { count: opts.batchN, primaryNames: ['Alice', 'Carol'], secondaryNames: ['Bob'] },
    frameworks: ['semantic-kernel'],
    concurrency: opts.batchWindow,
    label: 'p4-batch-detail',
  });
  if (res.status !== 202)
    throw new Error(
      `POST /api/batches answered ${res.status}: ${JSON.stringify(res.body).slice(0, 400)}`,
    );
  const batchId = (res.body as { batchId: string }).batchId;
  const path = `/api/batches/${encodeURIComponent(batchId)}`;
  const handle = stack.temporal.client.workflow.getHandle<typeof batchWorkflow>(batchId);
  const progress = () => handle.query(batchProgressQuery).catch(() => undefined);
  // Until the window is full (or 20 s): the measurement is of a batch at its busiest.
  const t0 = performance.now();
  for (;;) {
    const p = await progress();
    if (
      (p && p.running >= Math.min(opts.batchWindow, opts.batchN)) ||
      performance.now() - t0 > 20_000
    )
      break;
    await sleep(500);
  }
  const before = await progress();
  const tBefore = performance.now();
  try {
    const measured = await measure(stack, opts, {
      name,
      path,
      rate: opts.batchRate,
      connections: BATCH_CONNECTIONS,
      limitMs: P4_BATCH_P99_LIMIT_MS,
      cpu: { api: apiPid, temporal: stack.temporalPid, worker: workerPid },
    });
    const seconds = (performance.now() - tBefore) / 1000;
    // A batch this busy can leave a query unanswered: ask again before saying so.
    let after = await progress();
    for (let i = 0; !after && i < 3; i++) after = await progress();
    const done = (p: BatchProgress | undefined) => (p ? p.completed + p.failed : undefined);
    const [d0, d1] = [done(before), done(after)];
    const rate = d0 !== undefined && d1 !== undefined ? round((d1 - d0) / seconds, 1) : undefined;
    const text =
      `${d0 ?? '?'} → ${d1 ?? '?'} of ${opts.batchN} items done (${rate ?? '?'}/s), ` +
      `${before?.running ?? '?'} → ${after?.running ?? '?'} running` +
      (after ? '' : ' (its progress query went unanswered)');
    log(`P4 batch ${batchId} during the measurement: ${text}`);
    return {
      name,
      measured,
      extra: { batchId, before, after, itemsPerSecond: rate ?? null },
      progressFigure: { metric: `${name}: the batch meanwhile`, value: text },
    };
  } finally {
    // The rest of the run (and the next benchmark) should not share the machine with it.
    const cancelled = await httpJson(stack.apiUrl, 'POST', `${path}/cancel`).catch(() => undefined);
    if (cancelled?.status === 202)
      await Promise.race([handle.result().catch(() => undefined), sleep(60_000)]);
  }
}
