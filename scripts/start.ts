import 'dotenv/config';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../common/config';
import { migrateDatabase } from '../prisma/migrate';
import { workerNodeArgs, workerProcessEnv } from '../workers/process-settings';

/**
 * `npm start`: the whole platform on one machine. Starts the Temporal dev server (unless
 * TEMPORAL_ADDRESS points elsewhere via QUILLFLOW_EXTERNAL_TEMPORAL=1), migrates the database,
 * starts the simulator when no provider is configured, then the worker, the API (which also
 * serves the web app) and stops them all, in reverse order, on Ctrl-C.
 */
const dist = path.join(__dirname, '..');
const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

function run(name: string, script: string, env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): ChildProcess {
  const proc = spawn(process.execPath, [...nodeArgs, path.join(dist, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  proc.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping everything`);
      void stop(1);
    }
  });
  children.push({ name, proc });
  return proc;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const { name, proc } of [...children].reverse()) {
    if (proc.exitCode !== null || proc.signalCode !== null) continue;
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
  process.exit(code);
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const { env } = config;
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  if (process.env.QUILLFLOW_EXTERNAL_TEMPORAL !== '1') {
    const [, port = '7233'] = env.TEMPORAL_ADDRESS.split(':');
    run('temporal', 'temporal/dev-server-main.js', { TEMPORAL_PORT: port });
  }
  console.log(`[start] migrating ${env.DATABASE_URL.startsWith('file:') ? env.DATABASE_URL : 'the database'}`);
  await migrateDatabase(env.DATABASE_URL, (m) => console.log(`[migrate] ${m}`));

  if (config.provider.simulated) {
    console.warn(
      '\n[start] *** NO LLM PROVIDER CONFIGURED: running the bundled simulator. Stories are simulated text. ***\n' +
        '[start] *** Set PROVIDER_API_KEY, PROVIDER_API_BASE_URL and PROVIDER_MODEL to use a real model.   ***\n',
    );
    run('simulator', 'simulator/main.js', { SIMULATOR_LATENCY_MS: String(env.SIMULATOR_LATENCY_MS) });
    await waitForHttp(`http://127.0.0.1:${env.SIMULATOR_PORT}/health`, 15_000);
  }
  // Memory settings that must be given at process start (workers/process-settings.ts).
  run('worker', 'workers/main.js', workerProcessEnv(process.env), workerNodeArgs(env));
  run('api', 'api/main.js');
  await waitForHttp(`http://127.0.0.1:${env.PORT}/health`, 60_000);
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
