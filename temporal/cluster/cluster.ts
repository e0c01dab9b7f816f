/**
 * A real Temporal cluster on PostgreSQL, as production runs it: the server binary started once
 * per service (frontend, history, matching, worker), each its own process, persistence and
 * visibility in PostgreSQL; optionally the Temporal Web UI beside it. Configured the way
 * docker-compose.yml configures the `temporalio/server` and `temporalio/ui` images: their
 * env-driven config/docker.yaml with the same variables, temporal/dynamic-config.yaml, and
 * docker/temporal-setup.sh for the namespace and Quillflow's search attributes.
 *
 * A process that dies is started again (backoff 1 s doubling to 15 s), as an orchestrator would;
 * the current process group of each is written to `<dataDir>/cluster-state.json`.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isPortOpen } from '../dev-server/ports';
import { tail } from '../dev-server/run-command';
import {
  spawnSupervised,
  type ExitInfo,
  type SupervisedProcess,
} from '../dev-server/supervised-process';
import { applyTemporalSchema, type ClusterDatabaseSettings } from './database';
import { resolveTemporalServer, resolveTemporalUi, type TemporalServerInstall } from './install';
import {
  CLUSTER_SERVICES,
  DEFAULT_CLUSTER_PORTS,
  type ClusterPorts,
  type ClusterService,
} from './ports';
import { processGroupCpuSeconds } from './process-cpu';
import { probeWorkflowStart, runSetup, waitUntilServing } from './readiness';
import { repoFile, SHARED_WITH_COMPOSE } from './repo-files';
import { serviceEnvironment } from './service-env';
import { DEFAULT_NAMESPACE_RETENTION } from './version';

// The cluster's public face: what callers (tests, bench, npm run temporal:cluster) need with it.
export {
  CLUSTER_SERVICES,
  DEFAULT_CLUSTER_PORTS,
  freeClusterPorts,
  shiftedClusterPorts,
} from './ports';
export type { ClusterPorts, ClusterService } from './ports';
export { processGroupCpuSeconds } from './process-cpu';
export { serviceEnvironment } from './service-env';

export interface ClusterOptions {
  /** Config, state file and logs live here. */
  dataDir: string;
  db: ClusterDatabaseSettings;
  ports?: ClusterPorts;
  /** Serve the Temporal Web UI on this port (127.0.0.1). */
  uiPort?: number;
  namespace?: string;
  retention?: string;
  /** Database connections per service process (persistence; visibility gets a third of it). */
  maxConnsPerService?: number;
  numHistoryShards?: number;
  log?: (m: string) => void;
  /** Give up when the cluster does not serve within this time. Default 120 s. */
  startTimeoutMs?: number;
}

/** A process the cluster keeps running. */
export type ClusterProcess = ClusterService | 'ui';

export interface ClusterStateFile {
  address: string;
  namespace: string;
  uiUrl?: string;
  services: Record<ClusterService, { pgid: number; starts: number; grpcPort: number }>;
}

export interface TemporalCluster {
  address: string;
  namespace: string;
  uiUrl?: string;
  install: TemporalServerInstall;
  stateFile: string;
  /** CPU seconds used so far by the live service processes (a restarted one counts from its restart). */
  cpuSeconds(): number;
  /** Resolves when a process keeps failing to start and the cluster gives up on it. */
  failed: Promise<Error>;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A process that fails this many times in a row, each within a minute of its start, is given up. */
const MAX_QUICK_FAILURES = 5;
const BACKOFF_MAX_MS = 15_000;

export async function startTemporalCluster(o: ClusterOptions): Promise<TemporalCluster> {
  const log = o.log ?? ((m: string) => console.error(`[temporal-cluster] ${m}`));
  const started = Date.now();
  const install = await resolveTemporalServer({ log });
  const ui = o.uiPort === undefined ? undefined : await resolveTemporalUi({ log });
  const ports = o.ports ?? DEFAULT_CLUSTER_PORTS;
  const namespace = o.namespace ?? 'default';
  const address = `127.0.0.1:${ports.grpc.frontend}`;
  const uiUrl = o.uiPort === undefined ? undefined : `http://127.0.0.1:${o.uiPort}`;
  for (const [what, port] of [
    ...CLUSTER_SERVICES.flatMap((s) => [
      [s, ports.grpc[s]] as const,
      [s, ports.membership[s]] as const,
    ]),
    ...(o.uiPort === undefined ? [] : [['Web UI', o.uiPort] as const]),
  ]) {
    if (await isPortOpen('127.0.0.1', port)) {
      throw new Error(
        `port ${port} (Temporal ${what}) is already in use: is another Temporal server running?`,
      );
    }
  }

  await applyTemporalSchema(install, o.db, log);

  const dataDir = path.resolve(o.dataDir);
  const logDir = path.join(dataDir, 'logs');
  const serverConfig = path.join(dataDir, 'config', 'docker.yaml');
  const uiRoot = path.join(dataDir, 'ui');
  await fs.mkdir(path.dirname(serverConfig), { recursive: true });
  await fs.mkdir(logDir, { recursive: true });
  await fs.copyFile(install.configTemplate, serverConfig);
  if (ui) {
    await fs.mkdir(path.join(uiRoot, 'config'), { recursive: true });
    // The image's template has no bind address (a container binds everything); here the UI, which
    // has no login and shows payloads, stays on loopback.
    const template = await fs.readFile(ui.configTemplate, 'utf8');
    await fs.writeFile(
      path.join(uiRoot, 'config', 'docker.yaml'),
      `${template.trimEnd()}\nhost: 127.0.0.1\n`,
    );
  }
  const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const serverEnv = {
    ...baseEnv,
    ...serviceEnvironment({
      db: o.db,
      ports,
      maxConnsPerService: o.maxConnsPerService ?? 10,
      numHistoryShards: o.numHistoryShards ?? 4,
      dynamicConfigFile: repoFile(SHARED_WITH_COMPOSE.dynamicConfig),
    }),
  };
  const spawn = (p: ClusterProcess): SupervisedProcess =>
    p === 'ui'
      ? spawnSupervised(
          'quillflow-temporal-ui',
          ui!.server,
          ['--root', uiRoot, '--env', 'docker', 'start'],
          {
            // The variables compose gives the temporalio/ui image.
            env: {
              ...baseEnv,
              TEMPORAL_ADDRESS: address,
              TEMPORAL_UI_PORT: String(o.uiPort),
              TEMPORAL_DEFAULT_NAMESPACE: namespace,
              TEMPORAL_CORS_ORIGINS: `${uiUrl},http://localhost:${o.uiPort}`,
              TEMPORAL_CSRF_COOKIE_INSECURE: 'true', // plain HTTP on loopback
            },
            logFile: path.join(logDir, 'temporal-ui.log'),
          },
        )
      : spawnSupervised(
          `quillflow-temporal-${p}`,
          install.server,
          ['--config-file', serverConfig, 'start', '--service', p],
          { env: serverEnv, logFile: path.join(logDir, `temporal-${p}.log`) },
        );

  const stateFile = path.join(dataDir, 'cluster-state.json');
  let stopping = false;
  let giveUp: (err: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => (giveUp = resolve));
  const running = new Map<ClusterProcess, { proc: SupervisedProcess; starts: number }>();

  const writeState = async (): Promise<void> => {
    const services = {} as ClusterStateFile['services'];
    for (const s of CLUSTER_SERVICES) {
      const r = running.get(s);
      if (r) services[s] = { pgid: r.proc.pid, starts: r.starts, grpcPort: ports.grpc[s] };
    }
    const state: ClusterStateFile = { address, namespace, uiUrl, services };
    await fs.writeFile(`${stateFile}.tmp`, JSON.stringify(state, null, 2));
    await fs.rename(`${stateFile}.tmp`, stateFile);
  };

  /** Starts `p` and keeps it running until stop(). */
  const launch = async (p: ClusterProcess): Promise<void> => {
    const entry = { proc: spawn(p), starts: 1 };
    running.set(p, entry);
    await writeState();
    let quickFailures = 0;
    const watch = (since: number): void => {
      void entry.proc.exited.then(async (info: ExitInfo) => {
        if (stopping) return;
        quickFailures = Date.now() - since < 60_000 ? quickFailures + 1 : 1;
        const how = info.signal ?? `code ${info.code}`;
        if (quickFailures > MAX_QUICK_FAILURES) {
          giveUp(
            new Error(
              `Temporal ${p} keeps exiting (${how}); last output:\n${tail(entry.proc.outputTail(), 30)}`,
            ),
          );
          return;
        }
        const delay = Math.min(BACKOFF_MAX_MS, 1000 * 2 ** (quickFailures - 1));
        log(`${p} exited (${how}); starting it again in ${delay / 1000} s`);
        await sleep(delay);
        if (stopping) return;
        entry.proc = spawn(p);
        entry.starts++;
        await writeState();
        watch(Date.now());
      });
    };
    watch(Date.now());
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    // The UI and the frontend first, so clients see a refusal rather than half a cluster.
    for (const p of ['ui', ...CLUSTER_SERVICES] as const) await running.get(p)?.proc.stop(10_000);
    await fs.rm(stateFile, { force: true });
  };

  try {
    const deadline = started + (o.startTimeoutMs ?? 120_000);
    let gaveUp: Error | undefined;
    void failed.then((err) => (gaveUp = err));
    const check = (): void => {
      if (gaveUp) throw gaveUp;
      if (Date.now() > deadline)
        throw new Error(`Temporal cluster not serving at ${address} in time`);
    };
    // The frontend first: on a fresh database every service would race to write the initial
    // cluster metadata, and the losers exit ("failed to initialize current cluster metadata").
    await launch('frontend');
    await waitUntilServing(address, check);
    for (const s of CLUSTER_SERVICES.filter((x) => x !== 'frontend')) await launch(s);
    await runSetup(address, namespace, o.retention ?? DEFAULT_NAMESPACE_RETENTION, log);
    await probeWorkflowStart(address, namespace, deadline);
    if (o.uiPort !== undefined) {
      await launch('ui');
      while (!(await isPortOpen('127.0.0.1', o.uiPort, 500))) {
        check();
        await sleep(200);
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  log(
    `cluster serving at ${address}${uiUrl ? `, Web UI ${uiUrl}` : ''} (namespace ${namespace}; ` +
      `${CLUSTER_SERVICES.join(', ')} as separate processes; PostgreSQL ${o.db.database}/${o.db.visibilityDatabase}) ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return {
    address,
    namespace,
    uiUrl,
    install,
    stateFile,
    cpuSeconds: () =>
      CLUSTER_SERVICES.reduce(
        (sum, s) => sum + processGroupCpuSeconds(running.get(s)?.proc.pid ?? -1),
        0,
      ),
    failed,
    stop,
  };
}
