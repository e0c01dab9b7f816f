import 'dotenv/config';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../common/config';
import { migrateDatabase } from '../prisma/migrate';
import { workerNodeArgs, workerProcessEnv } from '../workers/process-settings';
import { EXIT_TEMPORAL_NOT_SET_UP } from '../temporal/namespace-contract';
import { isPortFree } from '../temporal/dev-server/ports';
import { isListeningMessage } from '../common/listening-signal';
import { formatDelay, initialRestartState, onChildExit, type RestartState } from './supervisor';

/**
 * `npm start`: the whole platform on one machine. Starts the Temporal dev server (unless
 * TEMPORAL_ADDRESS points elsewhere via QUILLFLOW_EXTERNAL_TEMPORAL=1), migrates the database,
 * starts the simulator when no provider is configured, then the worker, the API (which also
 * serves the web app) and stops them all, in reverse order, on Ctrl-C or SIGTERM.
 *
 * A child that exits on its own is started again with backoff (the policy and its numbers are in
 * scripts/supervisor.ts); one that keeps crashing stops everything with exit code 1. Restarting
 * the dev server is safe: it keeps its state in its --db-filename (TEMPORAL_DB_FILE).
 *
 * Built (`node dist/scripts/start.js`) it starts the children's .js entries under dist/; run from
 * source (`node -r ./test/support/ts-register.js scripts/start.ts`, as test/start-supervisor.spec.ts
 * does) it starts their .ts entries with the same Node flags, hence the same register hook.
 */
const root = path.join(__dirname, '..');
const entryExtension = path.extname(__filename); // '.js' built, '.ts' from source
// Like child_process.fork: children get this process's Node flags (-r hooks…), minus the
// debugger's, whose port they would fight over.
const inheritedNodeArgs = process.execArgv.filter((a) => !a.startsWith('--inspect'));

interface Child {
  name: string;
  /** Path from the project root, without extension. */
  entry: string;
  env: NodeJS.ProcessEnv;
  nodeArgs: string[];
  /** Called with each message the child sends over its IPC channel. */
  onMessage?: (message: unknown) => void;
  proc?: ChildProcess;
  startedAt: number;
  restarts: RestartState;
  restartTimer?: NodeJS.Timeout;
}
const children: Child[] = [];
let stopping = false;

function launch(child: Child): void {
  const proc = spawn(
    process.execPath,
    [...inheritedNodeArgs, ...child.nodeArgs, path.join(root, child.entry + entryExtension)],
    {
      env: { ...process.env, ...child.env },
      // Every child gets an IPC channel: it stops when the channel closes (common/listening-signal.ts).
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  if (child.onMessage) proc.on('message', child.onMessage);
  child.proc = proc;
  child.startedAt = Date.now();
  console.log(`[start] ${child.name} started (pid ${proc.pid ?? '?'})`);
  let exited = false;
  const onExit = (how: string): void => {
    if (exited || stopping) return;
    exited = true;
    restartOrGiveUp(child, how);
  };
  proc.once('exit', (code, signal) => {
    // 78 (EX_CONFIG): the child refused its configuration (e.g. Temporal's namespace is not set
    // up, with the commands to fix it in its output). Restarting cannot help: stop at once.
    if (code === EXIT_TEMPORAL_NOT_SET_UP && !stopping) {
      exited = true;
      console.error(
        `[start] ${child.name} refused its configuration (exit ${code}; see above); stopping everything`,
      );
      void stop(1);
      return;
    }
    onExit(signal ?? `code ${code}`);
  });
  // Failed to spawn at all (no 'exit' follows): the same policy applies.
  proc.once('error', (err) => onExit(`spawn failed: ${err.message}`));
}

function restartOrGiveUp(child: Child, how: string): void {
  const { state, decision: d } = onChildExit(child.restarts, {
    startedAt: child.startedAt,
    exitedAt: Date.now(),
  });
  child.restarts = state;
  if (d.action === 'give-up') {
    console.error(
      `[start] ${child.name} exited (${how}); it exited ${d.crashes} times within ${formatDelay(d.windowMs)}: ` +
        'giving up, stopping everything',
    );
    void stop(1);
    return;
  }
  console.error(
    `[start] ${child.name} exited (${how}); restarting in ${formatDelay(d.delayMs)} (restart ${d.restart})`,
  );
  child.restartTimer = setTimeout(() => {
    child.restartTimer = undefined;
    if (!stopping) launch(child);
  }, d.delayMs);
}

/** Starts `entry` (path from the project root, without extension) and keeps it running. */
function run(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv = {},
  nodeArgs: string[] = [],
  onMessage?: (message: unknown) => void,
): void {
  const child: Child = {
    name,
    entry,
    env,
    nodeArgs,
    onMessage,
    startedAt: Date.now(),
    restarts: initialRestartState(),
  };
  children.push(child);
  launch(child);
}

/**
 * Starts a child that serves a port and waits until it says it listens (common/listening-signal.ts),
 * after restarts if it crashes first; an HTTP probe could be answered by another server.
 */
function runUntilListening(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ${name} did not listen within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    run(name, entry, env, [], (message) => {
      if (!isListeningMessage(message)) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

async function assertPortFree(host: string, port: number, setting: string): Promise<void> {
  if (!(await isPortFree(host, port)))
    throw new Error(
      `port ${port} on ${host} is already in use (${setting}); stop what listens there or set ${setting} to a free port`,
    );
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const c of children) clearTimeout(c.restartTimer);
  for (const { name, proc } of [...children].reverse()) {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined)
      continue;
    proc.kill('SIGTERM');
    const exited = await Promise.race([
      new Promise<boolean>((r) => proc.once('exit', () => r(true))),
      new Promise<boolean>((r) => setTimeout(() => r(false), 15_000)),
    ]);
    if (!exited) {
      console.error(`[start] ${name} did not stop in 15 s; killing it`);
      proc.kill('SIGKILL');
    }
  }
  console.error(code === 0 ? '[start] stopped' : `[start] stopped (exit code ${code})`);
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  console.error(`[start] ${signal} received; stopping everything`);
  void stop(0);
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const { env } = config;
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  if (process.env.QUILLFLOW_EXTERNAL_TEMPORAL !== '1') {
    const [, port = '7233'] = env.TEMPORAL_ADDRESS.split(':');
    run('temporal', 'temporal/dev-server/main', { TEMPORAL_PORT: port });
  }
  // A port someone else holds would crash our child at bind, and the other server's /health
  // would answer for it: say so now instead of "Quillflow is up".
  await assertPortFree(env.HOST, env.PORT, 'PORT');
  if (config.provider.simulated)
    await assertPortFree('127.0.0.1', env.SIMULATOR_PORT, 'SIMULATOR_PORT');
  console.log(
    `[start] migrating ${env.DATABASE_URL.startsWith('file:') ? env.DATABASE_URL : 'the database'}`,
  );
  await migrateDatabase(env.DATABASE_URL, (m) => console.log(`[migrate] ${m}`));

  if (config.provider.simulated) {
    console.warn(
      '\n[start] *** NO LLM PROVIDER CONFIGURED: running the bundled simulator. Stories are simulated text. ***\n' +
        '[start] *** Set PROVIDER_API_KEY, PROVIDER_API_BASE_URL and PROVIDER_MODEL to use a real model.   ***\n',
    );
    await runUntilListening(
      'simulator',
      'simulator/main',
      { SIMULATOR_LATENCY_MS: String(env.SIMULATOR_LATENCY_MS) },
      15_000,
    );
  }
  // Memory settings that must be given at process start (workers/process-settings.ts).
  run('worker', 'workers/main', workerProcessEnv(process.env), workerNodeArgs(env));
  await runUntilListening('api', 'api/main', {}, 60_000);
  console.log(
    `\n[start] Quillflow is up:\n` +
      `  API + web UI   http://localhost:${env.PORT}\n` +
      `  API docs       http://localhost:${env.PORT}/api/docs\n` +
      `  MCP (HTTP)     http://localhost:${env.PORT}/mcp\n` +
      `  Temporal UI    ${env.TEMPORAL_UI_URL}\n` +
      `Press Ctrl-C to stop.\n`,
  );
}

main().catch((err: unknown) => {
  console.error('[start] failed:', err instanceof Error ? err.message : err);
  void stop(1);
});
