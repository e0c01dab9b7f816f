/**
 * The real platform on this machine, for the benchmarks: the Temporal CLI dev server (its own,
 * in-memory) or a Temporal service started elsewhere (P5's cluster), the LLM simulator (in this
 * process), a fresh migrated database, workers in their own processes (`dist/workers/main.js`,
 * so each RSS is its own) and the API in its own process (`dist/api/main.js`). Everything is
 * stopped by close(), by pid, never by name.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultPromptsDir } from '../activities/prompts';
import { loadPricingTable } from '../activities/pricing-file';
import type { ActivityDeps } from '../activities/deps';
import { loadConfig, type AppConfig } from '../common/config';
import { createLogger } from '../common/logger';
import { createTestDatabase, type TestDatabase } from '../test/support/test-db';
import { startSimulator, type Simulator } from '../simulator/server';
import { connectTemporal, type TemporalClientHandle } from '../temporal/connection';
import { startDevServer, type DevServerHandle } from '../temporal/dev-server/dev-server';
import { findFreePort } from '../temporal/dev-server/ports';
import { workerNodeArgs } from '../workers/process-settings';
import type { BenchOptions } from './options';
import { childPids, memoryMb, type CpuSource } from './proc-stats';

const DIST = path.resolve(__dirname, '..');
// temporal.api.enums.v1.TaskQueueType (the proto package is not a direct dependency).
const TASK_QUEUE_TYPE_WORKFLOW = 1;
const TASK_QUEUE_TYPE_ACTIVITY = 2;
export const DEFAULT_POSTGRES_URL = 'postgresql://root@/postgres?host=/var/run/postgresql';

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
export { log };

/** Run on SIGINT/SIGTERM by main.ts before it exits (a benchmark's own resources, e.g. P5's cluster). */
export const cleanupsOnSignal = new Set<() => Promise<void>>();

/** A Temporal service the stack uses but did not start (P5's cluster); its owner stops it. */
export interface ExternalTemporal {
  address: string;
  namespace: string;
  /** CPU seconds used so far by its processes. */
  cpuSeconds(): number;
}

export interface ChildHandle {
  name: string;
  pid: number;
  logFile: string;
  proc: ChildProcess;
  /** Memory high-water mark (VmHWM) and current RSS in MB, while the process lives. */
  memory(): { hwmMb: number; rssMb: number } | undefined;
  /** SIGTERM (graceful), SIGKILL after `graceMs`. Returns the last memory reading. */
  stop(graceMs?: number): Promise<{ hwmMb: number; rssMb: number } | undefined>;
}

function spawnNode(
  name: string,
  script: string,
  env: Record<string, string>,
  logFile: string,
  nodeArgs: string[] = [],
): ChildHandle {
  const out = fs.openSync(logFile, 'a');
  const proc = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (proc.pid === undefined) throw new Error(`could not start ${name} (${script})`);
  const pid = proc.pid;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return {
    name,
    pid,
    logFile,
    proc,
    memory: () => (exited ? undefined : memoryMb(pid)),
    async stop(graceMs = 15_000) {
      const last = exited ? undefined : memoryMb(pid);
      if (exited) return last;
      proc.kill('SIGTERM');
      const done = await Promise.race([
        exit.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), graceMs)),
      ]);
      if (!done) {
        log(`${name} (pid ${pid}) did not stop in ${graceMs} ms; SIGKILL`);
        proc.kill('SIGKILL');
        await exit;
      }
      return last;
    },
  };
}

function tailOf(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export class Stack {
  worker?: ChildHandle;
  /** Workers beside `worker` (startWorkers). */
  private extraWorkers: ChildHandle[] = [];
  api?: ChildHandle;
  apiUrl = '';
  readonly taskQueue = `bench-${process.pid}`;

  private constructor(
    readonly opts: BenchOptions,
    readonly runDir: string,
    readonly devServer: DevServerHandle | undefined,
    readonly external: ExternalTemporal | undefined,
    readonly sim: Simulator,
    readonly db: TestDatabase,
    readonly temporal: TemporalClientHandle,
  ) {}

  /** A stack on its own dev server, or on `external` (which it leaves running on close). */
  static async start(opts: BenchOptions, external?: ExternalTemporal): Promise<Stack> {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quillflow-bench-'));
    log(`logs of this run: ${runDir}`);
    const started = Date.now();
    const extraArgs = opts.temporalDynamic.flatMap((kv) => ['--dynamic-config-value', kv]);
    const devServer = external
      ? undefined
      : await startDevServer({
          port: 0,
          headless: true,
          logFile: path.join(runDir, 'temporal.log'),
          extraArgs,
          log: (m) => log(`temporal: ${m}`),
        });
    const address = external?.address ?? devServer!.address;
    const namespace = external?.namespace ?? 'default';
    const sim = await startSimulator({ port: 0 });
    if (opts.db === 'postgresql') process.env.TEST_POSTGRES_URL ??= DEFAULT_POSTGRES_URL;
    const db = await createTestDatabase(opts.db);
    const temporal = await connectTemporal({ address, namespace });
    log(
      `${external ? 'Temporal' : 'dev server'} ${address}, simulator ${sim.url}, ${opts.db} database, ` +
        `ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return new Stack(opts, runDir, devServer, external, sim, db, temporal);
  }

  get namespace(): string {
    return this.external?.namespace ?? 'default';
  }

  /** The environment every platform process of this stack gets. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      DATABASE_URL: this.db.url,
      TEMPORAL_ADDRESS: this.external?.address ?? this.devServer!.address,
      TEMPORAL_NAMESPACE: this.namespace,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      TEMPORAL_API_KEY: '',
      TEMPORAL_TLS: 'false',
      // The simulator, named as such; explicit so a developer's .env cannot point the bench at a paid model.
      PROVIDER_NAME: 'simulator',
      PROVIDER_API_KEY: 'sk-bench-not-a-real-key',
      PROVIDER_API_BASE_URL: this.sim.url,
      PROVIDER_MODEL: 'quillflow-sim-1',
      PRICING_FILE: '',
      LOG_LEVEL: this.opts.logLevel,
      LOG_FILE_PATH: '',
      LOG_PRETTY: 'false',
      DEBUG_MODE: 'false',
      OTEL_ENABLED: 'false',
      WORKER_METRICS_PORT: '',
      WORKER_APP_METRICS_PORT: '',
      // P4 measures the endpoints, not the per-IP limiter (60/min would answer 429s).
      RATE_LIMITING_ENABLED: 'false',
      ...this.opts.platformEnv,
      ...extra,
    };
  }

  /** Config as the worker and API see it (for the in-process direct path of P2). */
  config(): AppConfig {
    return loadConfig(this.env());
  }

  activityDeps(): ActivityDeps {
    const config = this.config();
    return {
      prisma: this.db.prisma,
      config,
      logger: createLogger('bench-direct', {
        level: this.opts.logLevel === 'info' ? 'warn' : this.opts.logLevel,
        pretty: false,
        filePath: '',
        rotationHours: 1,
        retentionDays: 1,
      }),
      pricing: loadPricingTable(undefined),
      promptsDir: defaultPromptsDir(),
    };
  }

  /** A fresh worker process; resolves once its pollers are seen by the server. */
  async startWorker(label = 'worker'): Promise<ChildHandle> {
    await this.stopWorker();
    this.worker = await this.spawnWorker(label);
    return this.worker;
  }

  /** `n` fresh worker processes on the stack's task queue (`worker` is the first). */
  async startWorkers(n: number): Promise<ChildHandle[]> {
    await this.stopWorker();
    const workers: ChildHandle[] = [];
    for (let i = 1; i <= n; i++) {
      const w = await this.spawnWorker(`worker-${i}`);
      if (i === 1) this.worker = w;
      else this.extraWorkers.push(w);
      workers.push(w);
    }
    return workers;
  }

  private async spawnWorker(label: string): Promise<ChildHandle> {
    const tuning = this.opts.workerTuning;
    const script = tuning
      ? path.join(DIST, 'bench', 'worker-main.js')
      : path.join(DIST, 'workers', 'main.js');
    const env = this.env({
      ...(this.opts.arenaMax ? { MALLOC_ARENA_MAX: '2' } : {}),
      ...this.opts.workerEnv,
      ...(tuning ? { QUILLFLOW_BENCH_WORKER_TUNING: JSON.stringify(tuning) } : {}),
    });
    const logFile = path.join(this.runDir, `${label}.log`);
    // Started as the product's launchers start it (WORKER_HEAP_MB); --worker-node-arg comes last and wins.
    const nodeArgs = [...workerNodeArgs(loadConfig(env).env), ...this.opts.workerNodeArgs];
    const worker = spawnNode(label, script, env, logFile, nodeArgs);
    const deadline = Date.now() + 90_000;
    const identity = `${worker.pid}@`;
    for (;;) {
      if (worker.proc.exitCode !== null || worker.proc.signalCode !== null) {
        throw new Error(
          `${label} exited during start-up (${worker.proc.exitCode ?? worker.proc.signalCode}):\n${tailOf(logFile)}`,
        );
      }
      const [wf, act] = await Promise.all(
        [TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY].map((taskQueueType) =>
          this.temporal.connection.workflowService
            .describeTaskQueue({
              namespace: this.namespace,
              taskQueue: { name: this.taskQueue },
              taskQueueType,
            })
            .then((r) => (r.pollers ?? []).some((p) => p.identity?.startsWith(identity)))
            .catch(() => false),
        ),
      );
      if (wf && act) break;
      if (Date.now() > deadline) {
        await worker.stop();
        throw new Error(`${label} did not start polling in 90 s:\n${tailOf(logFile)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return worker;
  }

  /** The running worker, or a new one: benchmarks that do not measure the worker's memory share it. */
  async ensureWorker(): Promise<ChildHandle> {
    const w = this.worker;
    if (w && w.proc.exitCode === null && w.proc.signalCode === null) return w;
    return this.startWorker('worker');
  }

  /** Stops every worker; returns the last memory reading of `worker`. */
  async stopWorker(): Promise<{ hwmMb: number; rssMb: number } | undefined> {
    const w = this.worker;
    const extra = this.extraWorkers;
    this.worker = undefined;
    this.extraWorkers = [];
    const [last] = await Promise.all([w?.stop(), ...extra.map((x) => x.stop())]);
    return last;
  }

  /** The API in its own process; resolves once GET /health answers. */
  async startApi(): Promise<ChildHandle> {
    if (this.api) return this.api;
    const port = await findFreePort('127.0.0.1');
    const logFile = path.join(this.runDir, 'api.log');
    const api = spawnNode(
      'api',
      path.join(DIST, 'api', 'main.js'),
      this.env({ PORT: String(port), HOST: '127.0.0.1' }),
      logFile,
      this.opts.apiNodeArgs,
    );
    this.api = api;
    this.apiUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (api.proc.exitCode !== null || api.proc.signalCode !== null) {
        throw new Error(`API exited during start-up:\n${tailOf(logFile)}`);
      }
      try {
        const r = await fetch(`${this.apiUrl}/health`);
        if (r.ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline)
        throw new Error(`API did not answer /health in 90 s:\n${tailOf(logFile)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return api;
  }

  /** The dev server's own process (the supervisor's child), for CPU accounting. */
  get temporalPid(): number {
    if (!this.devServer)
      throw new Error('this stack runs on an external Temporal service, not a dev server');
    return this.devServer.pid;
  }

  /** CpuMeter source for Temporal: the dev server's process tree, or the external service's reader. */
  temporalCpu(): CpuSource {
    const external = this.external;
    return external ? () => external.cpuSeconds() : this.temporalPid;
  }

  /** RSS of the dev server (supervisor and server), MB; undefined for an external service. */
  temporalRssMb(): number | undefined {
    if (!this.devServer) return undefined;
    let sum = 0;
    for (const p of [this.devServer.pid, ...childPids(this.devServer.pid)])
      sum += memoryMb(p)?.rssMb ?? 0;
    return sum;
  }

  async close(): Promise<void> {
    const steps: [string, () => Promise<unknown>][] = [
      ['api', async () => this.api?.stop()],
      ['worker', async () => this.stopWorker()],
      ['temporal client', () => this.temporal.close()],
      ['simulator', () => this.sim.close()],
      ['database', () => this.db.drop()],
      ['dev server', async () => this.devServer?.stop()],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (err) {
        log(`closing ${name}: ${(err as Error).message}`);
      }
    }
  }
}

/** fetch + JSON. */
export async function httpJson(
  base: string,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(base + urlPath, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
