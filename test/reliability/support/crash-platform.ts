/**
 * A whole Quillflow for the reliability suites, built from separate, breakable parts:
 *  - its OWN Temporal dev server (`temporal server start-dev`) persisting to a SQLite file in a
 *    temp folder, so it can be stopped and started again on the same port with its state; or, in
 *    the integration-cluster project, the project's Temporal cluster, whose history service
 *    process a restart kills;
 *  - a fresh database (SQLite file or PostgreSQL database, per Jest project);
 *  - the LLM simulator over HTTP (in this process);
 *  - the API in this process (Nest app on an ephemeral port);
 *  - the worker as a CHILD PROCESS (test/reliability/support/worker-entry.ts run by tsx), in its
 *    own process group, so it can be killed with SIGKILL and started again; optionally more
 *    worker processes beside it that are never killed.
 * Logs of the dev server and of every worker process go to test-artifacts/reliability-*.log.
 */
import type { INestApplication } from '@nestjs/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApiApp } from '../../../api/bootstrap';
import { loadConfig, type AppConfig } from '../../../common/config';
import { createLogger } from '../../../common/logger';
import type { PrismaClient } from '../../../prisma/client';
import { createTestDatabase } from '../../support/test-db';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { resolveTemporalCli } from '../../../temporal/dev-server/cli';
import { connectTemporal, type TemporalClientHandle } from '../../../temporal/connection';
import { startDevServer, type DevServerHandle } from '../../../temporal/dev-server/dev-server';
import {
  spawnSupervised,
  type SupervisedProcess,
} from '../../../temporal/dev-server/supervised-process';
import { processGroupCpuSeconds } from '../../../temporal/cluster/cluster';
import { clusterCpuSeconds, clusterState, killClusterService } from '../../support/cluster';
import { testDatabaseKind } from '../../support/platform';
import { onTestCluster, testTemporalAddress } from '../../temporal-env';
import { startTcpGate, type TcpGate } from './tcp-gate';

try {
  Runtime.install({
    logger: new DefaultLogger((process.env.TEST_TEMPORAL_LOG_LEVEL as 'ERROR') ?? 'ERROR'),
  });
} catch {
  /* already installed in this Jest worker */
}

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const WORKER_ENTRY = path.join(__dirname, 'worker-entry.ts');

export interface CrashPlatformOptions {
  /** Used in log file names: reliability-<name>-*.log. */
  name: string;
  /** Environment for the API and the worker (on top of the defaults below). */
  env?: Record<string, string>;
  simLatencyMs?: number;
  simJitterMs?: number;
  /** Workers reach Temporal through a TCP gate the test can hold (platform.gate). */
  workerGate?: boolean;
}

export interface WorkerProcess {
  pid: number;
  proc: SupervisedProcess;
}

export interface CrashPlatform {
  baseUrl: string;
  config: AppConfig;
  /** The test's own client of the database (API, assertions). */
  prisma: PrismaClient;
  databaseUrl: string;
  databaseKind: 'sqlite' | 'postgresql';
  sim: Simulator;
  temporal: TemporalClientHandle;
  app: INestApplication;
  /** host:port of this suite's Temporal (its own dev server, or the project's cluster). */
  temporalAddress: string;
  /** The gate between the workers and Temporal (option workerGate). */
  gate?: TcpGate;
  /** Starts the worker process that killWorker() kills, and waits until it polls; `env` on top (e.g. another build's bundle). */
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  /** Starts one more worker process on the same task queue, never killed (close() stops it). */
  startSteadyWorker(): Promise<WorkerProcess>;
  /** SIGKILL to the worker's process group (kill -9: no shutdown, no goodbye to the server). */
  killWorker(): Promise<void>;
  /** Graceful stop of the worker (SIGTERM). */
  stopWorker(): Promise<void>;
  /** The worker's last output if it exited without killWorker/stopWorker (it crashed). */
  workerCrash(): string | undefined;
  /**
   * Dev server: stopped (SIGTERM) and started again on the same port with the same file.
   * Cluster: kill -9 of the history service, which the cluster starts again. Returns the downtime in ms.
   */
  restartTemporal(): Promise<number>;
  workerStarts: number;
  /** CPU seconds used so far by the worker processes (killed ones included), the dev server and this process. */
  cpuSeconds(): { worker: number; temporal: number; test: number };
  close(): Promise<void>;
}

/** What test/support/test-config.ts sets for in-process platforms, as environment variables. */
const BASE_ENV: Record<string, string> = {
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
  LOG_FILE_PATH: '',
  RETRY_MIN_WAIT_SECONDS: '0.1',
  RETRY_MAX_WAIT_SECONDS: '1',
  RETRY_MAX_ATTEMPTS: '3',
  OPENAI_TIMEOUT: '10',
  PROVIDER_NAME: 'simulator',
  PROVIDER_API_KEY: 'sk-test-not-a-real-key',
  PROVIDER_MODEL: 'quillflow-sim-1',
  RATE_LIMITING_ENABLED: 'false',
};

const log = (m: string): void => {
  if (process.env.RELIABILITY_VERBOSE === '1') console.error(`[reliability] ${m}`);
};

export async function startCrashPlatform(o: CrashPlatformOptions): Promise<CrashPlatform> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const kind = testDatabaseKind();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quillflow-reliability-'));
  const temporalServer = onTestCluster()
    ? clusterTemporal()
    : await devServerTemporal(o.name, kind, dir);
  const cleanups: Array<() => Promise<unknown>> = [() => temporalServer.stop()];
  try {
    const db = await createTestDatabase(kind);
    cleanups.unshift(() => db.drop());
    const sim = await startSimulator({
      port: 0,
      latencyMs: o.simLatencyMs ?? 0,
      jitterMs: o.simJitterMs ?? 0,
    });
    cleanups.unshift(() => sim.close());
    const gate = o.workerGate ? await startTcpGate(temporalServer.address) : undefined;
    if (gate) cleanups.unshift(() => gate.close());
    const env: Record<string, string> = {
      ...BASE_ENV,
      DATABASE_URL: db.url,
      PROVIDER_API_BASE_URL: sim.url,
      TEMPORAL_ADDRESS: temporalServer.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: `reliability-${randomUUID().slice(0, 8)}`,
      ...o.env,
    };
    const config = loadConfig(env);
    const logger = createLogger('test', {
      level: config.env.LOG_LEVEL,
      pretty: false,
      filePath: '',
      rotationHours: 1,
      retentionDays: 1,
    });
    const temporal = await connectTemporal({
      address: temporalServer.address,
      namespace: 'default',
    });
    cleanups.unshift(() => temporal.close());
    const app = await createApiApp({
      config,
      logger,
      prisma: db.prisma,
      temporal: temporal.client,
    });
    await app.listen(0, '127.0.0.1');
    cleanups.unshift(() => app.close());
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');

    let worker: WorkerProcess | undefined;
    const steady: WorkerProcess[] = [];
    let workerStopping = false;
    let deadWorkersCpu = 0;
    const workerLog = path.join(ARTIFACTS, `reliability-${o.name}-${kind}-worker.log`);
    fs.writeFileSync(workerLog, '');
    /** Starts a worker process (logging to workerLog) and waits until it polls. */
    const spawnWorker = async (extraEnv: Record<string, string> = {}): Promise<WorkerProcess> => {
      platform.workerStarts++;
      fs.appendFileSync(
        workerLog,
        `\n===== worker start #${platform.workerStarts} at ${new Date().toISOString()} =====\n`,
      );
      const proc = spawnSupervised(
        'quillflow-reliability-worker',
        process.execPath,
        ['--import', 'tsx', WORKER_ENTRY],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            ...env,
            ...(gate ? { TEMPORAL_ADDRESS: gate.address } : {}),
            ...extraEnv,
            NODE_ENV: 'test',
          },
          logFile: workerLog,
        },
      );
      const deadline = Date.now() + 90_000;
      while (!/worker ready/.test(proc.outputTail())) {
        if (proc.hasExited())
          throw new Error(`worker process exited during start:\n${proc.outputTail()}`);
        if (Date.now() > deadline) {
          await proc.stop();
          throw new Error(`worker process not ready after 90 s:\n${proc.outputTail()}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      log(`worker #${platform.workerStarts} ready (pgid ${proc.pid})`);
      return { pid: proc.pid, proc };
    };
    const platform: CrashPlatform = {
      baseUrl,
      config,
      prisma: db.prisma,
      databaseUrl: db.url,
      databaseKind: kind,
      sim,
      temporal,
      app,
      temporalAddress: temporalServer.address,
      gate,
      workerStarts: 0,

      async startWorker(extraEnv) {
        if (worker && !worker.proc.hasExited())
          throw new Error('a worker process is already running');
        workerStopping = false;
        worker = await spawnWorker(extraEnv);
        return worker;
      },

      async startSteadyWorker() {
        const w = await spawnWorker();
        steady.push(w);
        return w;
      },

      async killWorker() {
        const w = worker;
        if (!w || w.proc.hasExited()) throw new Error('no worker process to kill');
        deadWorkersCpu += processGroupCpuSeconds(w.pid);
        workerStopping = true;
        process.kill(-w.pid, 'SIGKILL');
        await w.proc.exited;
        log(`worker (pgid ${w.pid}) killed with SIGKILL`);
      },

      async stopWorker() {
        workerStopping = true;
        await worker?.proc.stop(15_000);
      },

      workerCrash() {
        if (workerStopping) return undefined;
        const dead = [worker, ...steady].find((w) => w?.proc.hasExited());
        return dead?.proc.outputTail();
      },

      restartTemporal: () => temporalServer.restart(),

      cpuSeconds() {
        const live = [worker, ...steady]
          .filter((w): w is WorkerProcess => w !== undefined && !w.proc.hasExited())
          .reduce((sum, w) => sum + processGroupCpuSeconds(w.pid), 0);
        const usage = process.cpuUsage();
        return {
          worker: deadWorkersCpu + live,
          temporal: temporalServer.cpuSeconds(),
          test: (usage.user + usage.system) / 1e6,
        };
      },

      async close() {
        workerStopping = true;
        for (const w of [worker, ...steady]) await w?.proc.stop(15_000);
        for (const c of cleanups)
          await c().catch((err: unknown) => console.error('reliability cleanup:', err));
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
    return platform;
  } catch (err) {
    for (const c of cleanups) await c().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The Temporal a crash platform runs on, and how a scenario breaks it. */
interface CrashTemporal {
  address: string;
  restart(): Promise<number>;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** The suite's own dev server on a SQLite file, stopped and started again on restart. */
async function devServerTemporal(name: string, kind: string, dir: string): Promise<CrashTemporal> {
  const temporalDb = path.join(dir, 'temporal.db');
  const cliPath = await resolveTemporalCli({ log });
  const serverLog = path.join(ARTIFACTS, `reliability-${name}-${kind}-temporal.log`);
  const pragmas = (process.env.RELIABILITY_TEMPORAL_PRAGMAS ?? 'journal_mode=wal,synchronous=off')
    .split(',')
    .filter(Boolean);
  const inMemory = process.env.RELIABILITY_TEMPORAL_IN_MEMORY === '1';
  const startServer = (port: number) =>
    startDevServer({
      port,
      headless: true,
      cliPath,
      dbFilename: inMemory ? undefined : temporalDb,
      log,
      logFile: serverLog,
      startTimeoutMs: 90_000,
      extraArgs: inMemory ? [] : pragmas.flatMap((p) => ['--sqlite-pragma', p]),
    });
  let server: DevServerHandle = await startServer(0);
  const address = server.address;
  let stoppedServersCpu = 0;
  return {
    address,
    async restart() {
      const started = Date.now();
      stoppedServersCpu += processGroupCpuSeconds(server.pid);
      await server.stop();
      server = await startServer(server.port);
      if (server.address !== address) throw new Error(`dev server came back at ${server.address}`);
      return Date.now() - started;
    },
    cpuSeconds: () => stoppedServersCpu + processGroupCpuSeconds(server.pid),
    stop: () => server.stop(),
  };
}

/** The integration-cluster project's cluster: a restart is kill -9 of its history service. */
function clusterTemporal(): CrashTemporal {
  let killedCpu = 0;
  return {
    address: testTemporalAddress(),
    restart: () => {
      killedCpu += processGroupCpuSeconds(clusterState().services.history.pgid);
      return killClusterService('history');
    },
    cpuSeconds: () => killedCpu + clusterCpuSeconds(),
    stop: async () => undefined, // the project's global teardown owns it
  };
}
