/**
 * Runs the real Temporal server (`temporal server start-dev`: SQLite persistence, Web UI) for
 * local development and tests, with Quillflow's search attributes registered.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { resolveTemporalCli } from './cli';
import { connectTemporal } from '../connection';
import { findFreePort, isPortOpen } from './ports';
import { tail } from './run-command';
import { ensureSearchAttributes } from '../search-attribute-registry';
import { SEARCH_ATTRIBUTE_CLI_SPECS } from '../search-attributes';
import { spawnSupervised } from './supervised-process';
import type { ExitInfo, SupervisedProcess } from './supervised-process';

export interface DevServerOptions {
  /** gRPC frontend port. Default 7233; 0 picks a free port. */
  port?: number;
  /** Web UI port. Default port+1000 (a free port when `port` is 0); 0 picks a free port. */
  uiPort?: number;
  headless?: boolean;
  /** SQLite file for persistence across restarts; omitted = in-memory (lost on stop). */
  dbFilename?: string;
  /** Extra namespace to create (`default` always exists). Search attributes are ensured on both. */
  namespace?: string;
  /** Address to bind. Default 127.0.0.1 (the CLI's own default, "localhost", may resolve to ::1 only). */
  ip?: string;
  log?: (m: string) => void;
  /** Append the server's own output here (otherwise only the last lines are kept, for errors). */
  logFile?: string;
  /** Use this binary instead of resolving/installing one. */
  cliPath?: string;
  /** Extra `start-dev` flags, appended last. */
  extraArgs?: readonly string[];
  /** Give up if not serving within this time. Default 60 s (first start of a fresh SQLite file is the slow case). */
  startTimeoutMs?: number;
}

export interface DevServerHandle {
  /** host:port for clients and workers. */
  address: string;
  uiUrl?: string;
  port: number;
  /** pid of the supervisor (= process group id) that owns the server process. */
  pid: number;
  namespace: string;
  /** Resolves when the server exits for any reason (crash included). */
  exited: Promise<ExitInfo>;
  /** The server's last output lines (warnings and errors at the default log level). */
  outputTail(): string;
  /** SIGTERM, SIGKILL after 5 s; the whole process group. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Dynamic config we rely on. The CLI accepts any key without validation (a typo is silently
 * ignored), so each key here was checked against go.temporal.io/server v1.29.1 (CLI 1.5.1).
 * The first three already default to true in 1.29; they are explicit so an older `temporal`
 * found on PATH behaves the same.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = {
  // Update-with-Start (ExecuteMultiOperation) for idempotent "start or signal" story requests.
  'frontend.enableExecuteMultiOperation': true,
  'frontend.enableUpdateWorkflowExecution': true,
  // startUpdate(..., { waitForStage: ACCEPTED }).
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': true,
  // Attributes we add through the OperatorService after start (existing --db-filename) are
  // usable at once instead of after the server's search-attribute cache refresh.
  'system.forceSearchAttributesCacheRefreshOnRead': true,
  // Eager activity dispatch: an activity a workflow task schedules on its own task queue goes
  // back to that worker in the task's completion response, without a trip through matching
  // (one round trip and its queue wait fewer per activity; BENCHMARKS.md). Off by default in 1.29.
  'system.enableActivityEagerExecution': true,
};

const DEFAULT_NAMESPACE = 'default';

/** Host clients should dial for a bind address (wildcards are not dialable everywhere). */
function dialHost(ip: string): string {
  if (ip === '0.0.0.0' || ip === '') return '127.0.0.1';
  if (ip === '::') return '::1';
  return ip;
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The `temporal` argv for a start; exported for inspection and tests. */
export function devServerArgs(o: {
  port: number;
  uiPort?: number;
  ip: string;
  namespace?: string;
  dbFilename?: string;
  extraArgs?: readonly string[];
}): string[] {
  const args = [
    'server',
    'start-dev',
    '--port',
    String(o.port),
    '--ip',
    o.ip,
    '--log-level',
    'warn',
  ];
  if (o.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(o.uiPort));
  if (o.namespace && o.namespace !== DEFAULT_NAMESPACE) args.push('--namespace', o.namespace);
  if (o.dbFilename) args.push('--db-filename', o.dbFilename);
  for (const spec of SEARCH_ATTRIBUTE_CLI_SPECS) args.push('--search-attribute', spec);
  for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  args.push(...(o.extraArgs ?? []));
  return args;
}

class StartFailure extends Error {
  constructor(
    message: string,
    readonly portClash: boolean,
  ) {
    super(message);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects as soon as the process exits, so we never wait out a timeout for a dead server. */
function unlessExited<T>(
  proc: SupervisedProcess,
  work: Promise<T>,
  describe: (info: ExitInfo) => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    void proc.exited.then((info) => reject(describe(info)));
    work.then(resolve, reject);
  });
}

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServerHandle> {
  const log = opts.log ?? ((m: string) => console.error(`[temporal-dev] ${m}`));
  const cli = opts.cliPath ?? (await resolveTemporalCli({ log }));
  const ip = opts.ip ?? '127.0.0.1';
  const host = dialHost(ip);
  const namespace = opts.namespace ?? DEFAULT_NAMESPACE;
  const dbFilename = opts.dbFilename ? path.resolve(opts.dbFilename) : undefined;
  if (dbFilename) await fs.mkdir(path.dirname(dbFilename), { recursive: true });
  if (opts.logFile) await fs.mkdir(path.dirname(path.resolve(opts.logFile)), { recursive: true });

  const requestedPort = opts.port ?? 7233;
  const autoPorts = requestedPort === 0 || opts.uiPort === 0;
  // Ports we pick can be grabbed by someone else before the server binds them: retry then.
  const attempts = autoPorts ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (err) {
      if (err instanceof StartFailure && err.portClash && attempt < attempts) {
        log(`port clash on attempt ${attempt}; retrying with new ports`);
        continue;
      }
      throw err;
    }
  }

  async function startOnce(): Promise<DevServerHandle> {
    const port = requestedPort === 0 ? await findFreePort(host) : requestedPort;
    let uiPort: number | undefined;
    if (!opts.headless) {
      if (opts.uiPort === 0 || (opts.uiPort === undefined && requestedPort === 0))
        uiPort = await findFreePort(host);
      else uiPort = opts.uiPort ?? port + 1000;
    }
    for (const p of [port, uiPort]) {
      // Without this, our readiness probe would happily talk to whatever already listens there.
      if (p !== undefined && (await isPortOpen(host, p))) {
        throw new StartFailure(
          `port ${p} on ${host} is already in use (another Temporal server?)`,
          requestedPort === 0,
        );
      }
    }

    const args = devServerArgs({
      port,
      uiPort,
      ip,
      namespace,
      dbFilename,
      extraArgs: opts.extraArgs,
    });
    const commandLine = [cli, ...args].join(' ');
    const started = Date.now();
    log(
      `starting ${path.basename(cli)} server start-dev on ${hostPort(host, port)}` +
        `${uiPort ? `, UI :${uiPort}` : ', headless'}, db ${dbFilename ?? 'in-memory'}`,
    );
    const proc = spawnSupervised('quillflow-temporal-dev', cli, args, { logFile: opts.logFile });

    // Failures below carry only the reason; the full message is built after stop() so the
    // server's last output lines are included.
    const describeExit = (info: ExitInfo): Error =>
      new Error(`process exited (${info.signal ?? `code ${info.code}`})`);

    try {
      const deadline = started + (opts.startTimeoutMs ?? 60_000);
      while (!(await isPortOpen(host, port, 500))) {
        if (proc.hasExited()) throw describeExit(await proc.exited);
        if (Date.now() > deadline)
          throw new Error(`gRPC port ${port} not open after ${opts.startTimeoutMs ?? 60_000} ms`);
        await sleep(100);
      }
      const remaining = Math.max(5_000, deadline - Date.now());
      const temporal = await unlessExited(
        proc,
        connectTemporal({ address: hostPort(host, port), namespace }, { retryForMs: remaining }),
        describeExit,
      );
      try {
        for (const ns of new Set([DEFAULT_NAMESPACE, namespace])) {
          await unlessExited(
            proc,
            ensureSearchAttributes(temporal.connection, ns, undefined, log),
            describeExit,
          );
        }
      } finally {
        await temporal.close();
      }
      if (uiPort !== undefined) {
        while (!(await isPortOpen(host, uiPort, 500))) {
          if (proc.hasExited()) throw describeExit(await proc.exited);
          if (Date.now() > deadline) throw new Error(`Web UI port ${uiPort} not open in time`);
          await sleep(100);
        }
      }
    } catch (err) {
      await proc.stop();
      await sleep(100); // let the last output chunks arrive
      const output = tail(proc.outputTail(), 40);
      throw new StartFailure(
        `Temporal dev server failed to start: ${(err as Error).message}\ncommand: ${commandLine}\n` +
          `--- server output (last lines) ---\n${output || '(none)'}`,
        /address already in use|bind:/i.test(proc.outputTail()),
      );
    }

    const address = hostPort(host, port);
    const uiUrl = uiPort !== undefined ? `http://${hostPort(host, uiPort)}` : undefined;
    log(
      `ready at ${address}${uiUrl ? ` (UI ${uiUrl})` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return {
      address,
      uiUrl,
      port,
      pid: proc.pid,
      namespace,
      exited: proc.exited,
      outputTail: () => proc.outputTail(),
      async stop() {
        const info = await proc.stop(5_000);
        log(`stopped ${address} (${info.signal ?? `exit code ${info.code}`})`);
      },
    };
  }
}
