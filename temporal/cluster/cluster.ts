/**
 * A real Temporal cluster on PostgreSQL, as production runs it: the server binary started once
 * per service (frontend, history, matching, worker), each its own process, persistence and
 * visibility in PostgreSQL. Configured the way docker-compose.yml configures the
 * `temporalio/server` image: its env-driven config/docker.yaml with the same variables,
 * temporal/dynamic-config.yaml, and docker/temporal-setup.sh for the namespace and Quillflow's
 * search attributes.
 *
 * A service that dies is started again (backoff 1 s doubling to 15 s), as an orchestrator would;
 * the current process of each service is written to `<dataDir>/cluster-state.json`.
 */
import { Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { resolveTemporalCli } from '../cli';
import { isPortFree, isPortOpen } from '../ports';
import { runCommand, tail } from '../run-command';
import { SEARCH_ATTRIBUTE_CLI_SPECS } from '../search-attributes';
import { spawnSupervised, type ExitInfo, type SupervisedProcess } from '../supervised-process';
import { applyTemporalSchema, type ClusterDatabaseSettings } from './database';
import { resolveTemporalServer, type TemporalServerInstall } from './install';
import { repoFile, SHARED_WITH_COMPOSE } from './repo-files';
import { DEFAULT_NAMESPACE_RETENTION, TEMPORAL_SQL_PLUGIN } from './version';

export const CLUSTER_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

/** gRPC and membership port of each service, plus the frontend's HTTP API. */
export interface ClusterPorts {
  frontendHttp: number;
  grpc: Record<ClusterService, number>;
  membership: Record<ClusterService, number>;
}

/** The ports of config/docker.yaml's defaults (7233 frontend, 6933 its membership, ...). */
export const DEFAULT_CLUSTER_PORTS: ClusterPorts = {
  frontendHttp: 7243,
  grpc: { frontend: 7233, history: 7234, matching: 7235, worker: 7239 },
  membership: { frontend: 6933, history: 6934, matching: 6935, worker: 6939 },
};

/**
 * Free ports for a second cluster beside others (tests). Below 32768: the membership table keeps
 * ports as a PostgreSQL smallint, and the kernel's ephemeral ports lie above it.
 */
export async function freeClusterPorts(host = '127.0.0.1'): Promise<ClusterPorts> {
  const taken = new Set<number>();
  const pick = async (): Promise<number> => {
    for (;;) {
      const port = 10_000 + Math.floor(Math.random() * 22_000);
      if (taken.has(port) || !(await isPortFree(host, port))) continue;
      taken.add(port);
      return port;
    }
  };
  const per = async (): Promise<Record<ClusterService, number>> => {
    const out = {} as Record<ClusterService, number>;
    for (const s of CLUSTER_SERVICES) out[s] = await pick();
    return out;
  };
  return { frontendHttp: await pick(), grpc: await per(), membership: await per() };
}

export interface ClusterOptions {
  /** Config, state file and logs live here. */
  dataDir: string;
  db: ClusterDatabaseSettings;
  ports?: ClusterPorts;
  namespace?: string;
  retention?: string;
  /** Database connections per service process (persistence; visibility gets a third of it). */
  maxConnsPerService?: number;
  numHistoryShards?: number;
  log?: (m: string) => void;
  /** Give up when the cluster does not serve within this time. Default 120 s. */
  startTimeoutMs?: number;
}

export interface ClusterStateFile {
  address: string;
  namespace: string;
  services: Record<ClusterService, { pgid: number; starts: number; grpcPort: number }>;
}

export interface TemporalCluster {
  address: string;
  namespace: string;
  install: TemporalServerInstall;
  stateFile: string;
  /** Service processes started so far, restarts included. */
  starts(service: ClusterService): number;
  /** CPU seconds used so far by the live service processes (a restarted one counts from its restart). */
  cpuSeconds(): number;
  /** Resolves when a service keeps failing to start and the cluster gives up. */
  failed: Promise<Error>;
  stop(): Promise<void>;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** utime + stime, in seconds, of the live processes of a process group (0 off Linux). */
export function processGroupCpuSeconds(pgid: number): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* exited meanwhile */
    }
  }
  return ticks / CLOCK_TICKS;
}

/** The environment config/docker.yaml reads, as compose's `temporal` service sets it. */
export function serviceEnvironment(
  o: Required<Pick<ClusterOptions, 'db' | 'ports' | 'maxConnsPerService' | 'numHistoryShards'>> & {
    dynamicConfigFile: string;
  },
): Record<string, string> {
  const { db, ports } = o;
  const visibilityConns = String(Math.max(2, Math.ceil(o.maxConnsPerService / 3)));
  return {
    DB: TEMPORAL_SQL_PLUGIN,
    DBNAME: db.database,
    VISIBILITY_DBNAME: db.visibilityDatabase,
    POSTGRES_SEEDS: db.host,
    DB_PORT: String(db.port),
    // Visibility reads POSTGRES_PORT, persistence DB_PORT (config/docker.yaml).
    POSTGRES_PORT: String(db.port),
    POSTGRES_USER: db.user,
    POSTGRES_PWD: db.password,
    SQL_MAX_CONNS: String(o.maxConnsPerService),
    SQL_MAX_IDLE_CONNS: String(o.maxConnsPerService),
    SQL_VIS_MAX_CONNS: visibilityConns,
    SQL_VIS_MAX_IDLE_CONNS: visibilityConns,
    NUM_HISTORY_SHARDS: String(o.numHistoryShards),
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: o.dynamicConfigFile,
    LOG_LEVEL: 'warn',
    FRONTEND_GRPC_PORT: String(ports.grpc.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.membership.frontend),
    HISTORY_GRPC_PORT: String(ports.grpc.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.membership.history),
    MATCHING_GRPC_PORT: String(ports.grpc.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.membership.matching),
    WORKER_GRPC_PORT: String(ports.grpc.worker),
    WORKER_MEMBERSHIP_PORT: String(ports.membership.worker),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A service that fails this many times in a row, each within a minute of its start, is given up. */
const MAX_QUICK_FAILURES = 5;
const BACKOFF_MAX_MS = 15_000;

export async function startTemporalCluster(o: ClusterOptions): Promise<TemporalCluster> {
  const log = o.log ?? ((m: string) => console.error(`[temporal-cluster] ${m}`));
  const started = Date.now();
  const install = await resolveTemporalServer({ log });
  const ports = o.ports ?? DEFAULT_CLUSTER_PORTS;
  const namespace = o.namespace ?? 'default';
  const address = `127.0.0.1:${ports.grpc.frontend}`;
  for (const s of CLUSTER_SERVICES) {
    for (const p of [ports.grpc[s], ports.membership[s]]) {
      if (await isPortOpen('127.0.0.1', p)) {
        throw new Error(`port ${p} (Temporal ${s}) is already in use: is another Temporal server running?`);
      }
    }
  }

  await applyTemporalSchema(install, o.db, log);

  const dataDir = path.resolve(o.dataDir);
  const configDir = path.join(dataDir, 'config');
  const logDir = path.join(dataDir, 'logs');
  await fs.mkdir(configDir, { recursive: true });
  await fs.mkdir(logDir, { recursive: true });
  await fs.copyFile(install.configTemplate, path.join(configDir, 'docker.yaml'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...serviceEnvironment({
      db: o.db,
      ports,
      maxConnsPerService: o.maxConnsPerService ?? 10,
      numHistoryShards: o.numHistoryShards ?? 4,
      dynamicConfigFile: repoFile(SHARED_WITH_COMPOSE.dynamicConfig),
    }),
  };
  const stateFile = path.join(dataDir, 'cluster-state.json');

  let stopping = false;
  let giveUp: (err: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => (giveUp = resolve));
  const services = new Map<ClusterService, { proc: SupervisedProcess; starts: number }>();

  const writeState = async (): Promise<void> => {
    const state: ClusterStateFile = {
      address,
      namespace,
      services: Object.fromEntries(
        [...services].map(([s, v]) => [s, { pgid: v.proc.pid, starts: v.starts, grpcPort: ports.grpc[s] }]),
      ) as ClusterStateFile['services'],
    };
    const tmp = `${stateFile}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(state, null, 2));
    await fs.rename(tmp, stateFile);
  };

  const spawnService = (service: ClusterService): SupervisedProcess =>
    spawnSupervised(
      `quillflow-temporal-${service}`,
      install.server,
      ['--config-file', path.join(configDir, 'docker.yaml'), 'start', '--service', service],
      { env, logFile: path.join(logDir, `temporal-${service}.log`) },
    );

  const supervise = (service: ClusterService): void => {
    const entry = services.get(service)!;
    let quickFailures = 0;
    const watch = (proc: SupervisedProcess, since: number): void => {
      void proc.exited.then(async (info: ExitInfo) => {
        if (stopping) return;
        quickFailures = Date.now() - since < 60_000 ? quickFailures + 1 : 1;
        const how = info.signal ?? `code ${info.code}`;
        if (quickFailures > MAX_QUICK_FAILURES) {
          giveUp(new Error(`Temporal ${service} keeps exiting (${how}); last output:\n${tail(proc.outputTail(), 30)}`));
          return;
        }
        const delay = Math.min(BACKOFF_MAX_MS, 1000 * 2 ** (quickFailures - 1));
        log(`${service} exited (${how}); starting it again in ${delay / 1000} s`);
        await sleep(delay);
        if (stopping) return;
        entry.proc = spawnService(service);
        entry.starts++;
        await writeState();
        watch(entry.proc, Date.now());
      });
    };
    watch(entry.proc, Date.now());
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    // Frontend first, so clients see a refusal rather than half a cluster.
    for (const s of CLUSTER_SERVICES) await services.get(s)?.proc.stop(10_000);
    await fs.rm(stateFile, { force: true });
  };

  try {
    const deadline = started + (o.startTimeoutMs ?? 120_000);
    let gaveUp: Error | undefined;
    void failed.then((err) => (gaveUp = err));
    const check = (): void => {
      if (gaveUp) throw gaveUp;
      if (Date.now() > deadline) throw new Error(`Temporal cluster not serving at ${address} in time`);
    };
    const launch = async (s: ClusterService): Promise<void> => {
      services.set(s, { proc: spawnService(s), starts: 1 });
      await writeState();
      supervise(s);
    };
    // The frontend first: on a fresh database every service would race to write the initial
    // cluster metadata, and the losers exit ("failed to initialize current cluster metadata").
    await launch('frontend');
    await waitUntilServing(address, check);
    for (const s of CLUSTER_SERVICES.filter((x) => x !== 'frontend')) await launch(s);
    await runSetup(address, namespace, o.retention ?? DEFAULT_NAMESPACE_RETENTION, log);
    await probeWorkflowStart(address, namespace, deadline);
  } catch (err) {
    await stop();
    throw err;
  }
  log(
    `cluster serving at ${address} (namespace ${namespace}; ${CLUSTER_SERVICES.join(', ')} as separate processes; ` +
      `PostgreSQL ${o.db.database}/${o.db.visibilityDatabase}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return {
    address,
    namespace,
    install,
    stateFile,
    starts: (s) => services.get(s)?.starts ?? 0,
    cpuSeconds: () => [...services.values()].reduce((sum, v) => sum + processGroupCpuSeconds(v.proc.pid), 0),
    failed,
    stop,
  };
}

/** Until the frontend answers GetSystemInfo; `check` throws to stop waiting. */
async function waitUntilServing(address: string, check: () => void): Promise<void> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  while (!(await isPortOpen(host, port, 500))) {
    check();
    await sleep(200);
  }
  for (;;) {
    check();
    const conn = Connection.lazy({ address, connectTimeout: 5_000 });
    try {
      await conn.ensureConnected();
      return;
    } catch {
      await sleep(500);
    } finally {
      await conn.close().catch(() => undefined);
    }
  }
}

/** docker/temporal-setup.sh, as compose's `temporal-setup` service runs it, with the Temporal CLI. */
async function runSetup(address: string, namespace: string, retention: string, log: (m: string) => void): Promise<void> {
  const cli = await resolveTemporalCli({ log });
  const started = Date.now();
  const { stdout } = await runCommand('/bin/sh', [repoFile(SHARED_WITH_COMPOSE.setupScript)], {
    env: {
      PATH: `${path.dirname(cli)}${path.delimiter}${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? '',
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_NAMESPACE_RETENTION: retention,
      QUILLFLOW_SEARCH_ATTRIBUTES: SEARCH_ATTRIBUTE_CLI_SPECS.join(' '),
    },
    timeoutMs: 5 * 60_000,
  });
  const added = stdout.split('\n').filter((l) => l.includes('registering') || l.includes('creating'));
  log(`setup done in ${Date.now() - started} ms${added.length ? `: ${added.length} change(s)` : ' (nothing to change)'}`);
}

/**
 * The frontend answers before history and matching have joined the ring; a workflow start needs
 * both (history owns it, matching gets its first task), so the cluster is ready once one succeeds.
 */
async function probeWorkflowStart(address: string, namespace: string, deadline: number): Promise<void> {
  const conn = await Connection.connect({ address });
  try {
    for (;;) {
      const workflowId = `quillflow-cluster-probe-${randomUUID()}`;
      try {
        await conn.workflowService.startWorkflowExecution({
          namespace,
          workflowId,
          requestId: randomUUID(),
          workflowType: { name: 'quillflow-cluster-probe' },
          taskQueue: { name: 'quillflow-cluster-probe' },
        });
        await conn.workflowService.terminateWorkflowExecution({
          namespace,
          workflowExecution: { workflowId },
          reason: 'cluster readiness probe',
        });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`no workflow could be started on the cluster: ${(err as Error).message}`);
        await sleep(500);
      }
    }
  } finally {
    await conn.close();
  }
}
