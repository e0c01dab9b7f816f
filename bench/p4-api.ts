/**
 * P4 API under load: GET /api/runs/:workflowId (status, result, cost and LLM attempts of a
 * finished story run: Temporal describe + result + database) and GET /api/stories/:id
 * (database), each at a fixed offered rate with autocannon: p50/p99 latency and errors.
 */
import { cpuBoundText } from './bounds';
import { httpJson, log, type Stack } from './harness';
import type { BenchOptions } from './options';
import { CpuMeter } from './proc-stats';
import type { BenchResult, CpuReport, Figure } from './report';
import { round } from './stats';

export const P4_P99_LIMIT_MS = 50;

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
}) => Promise<AutocannonResult>;

// autocannon ships no type declarations; the shape above is its documented result.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export async function runP4(stack: Stack, opts: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  await stack.ensureWorker();
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
  for (const [name, p] of [
    ['GET /api/runs/:id', runPath],
    ['GET /api/stories/:id', storyPath],
  ] as const) {
    // A short warm-up at the same rate (JIT, connection pools), not measured.
    await autocannon({
      url: stack.apiUrl + p,
      connections: opts.connections,
      overallRate: opts.rate,
      duration: opts.quick ? 1 : 3,
    });
    const meter = new CpuMeter({
      api: api.pid,
      temporal: stack.temporalPid,
      'bench+autocannon': process.pid,
    });
    meter.start();
    const r = await autocannon({
      url: stack.apiUrl + p,
      connections: opts.connections,
      overallRate: opts.rate,
      duration: opts.durationSeconds,
      timeout: 10,
    });
    const c = meter.stop();
    cpu[name] = c;
    const errors = r.errors + r.non2xx;
    const achieved = round(r.requests.total / r.duration, 1);
    log(
      `P4 ${name}: p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.requests.total} requests (${achieved}/s), ${errors} errors`,
    );
    const met = r.latency.p99 <= P4_P99_LIMIT_MS && errors === 0;
    // CPU per request, by process: what the offered rate costs regardless of other load.
    const cpuMsPerRequest = Object.fromEntries(
      Object.entries(c.byProcess).map(([k, v]) => [
        k,
        round((v.cpuSeconds * 1000) / Math.max(1, r.requests.total), 2),
      ]),
    );
    const ours = (cpuMsPerRequest.api ?? 0) + (cpuMsPerRequest.temporal ?? 0);
    const coresNeeded = round((ours * opts.rate) / 1000, 2);
    figures.push(
      {
        metric: `${name} p50 / p99`,
        value: `${r.latency.p50} / ${r.latency.p99} ms`,
        target: `p99 <= ${P4_P99_LIMIT_MS} ms`,
        met: r.latency.p99 <= P4_P99_LIMIT_MS,
      },
      {
        metric: `${name} requests, errors`,
        value: `${r.requests.total} at ${achieved}/s, ${errors} errors (${r.non2xx} non-2xx, ${r.timeouts} timeouts)`,
        target: '0 errors',
        met: errors === 0,
      },
    );
    details[name] = {
      latencyMs: {
        average: r.latency.average,
        p50: r.latency.p50,
        p90: r.latency.p90,
        p99: r.latency.p99,
        max: r.latency.max,
      },
      requests: r.requests.total,
      achievedRate: achieved,
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      statusCodes: r.statusCodeStats,
      cpuMsPerRequest,
      coresNeededAtOfferedRate: coresNeeded,
    };
    if (!met) {
      bounds.push(
        `${name}: ${cpuBoundText(c)}; each request costs ${cpuMsPerRequest.api} ms of API CPU and ${cpuMsPerRequest.temporal} ms of Temporal CPU, ` +
          `so ${opts.rate} req/s needs ${coresNeeded} cores of ${c.cores}`,
      );
    }
  }
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
    ],
    cpu,
    details,
    durationSeconds: round((performance.now() - started) / 1000),
  };
}
