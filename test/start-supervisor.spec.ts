/**
 * `npm start` heals (issue 13, part 5): the real start script (scripts/start.ts, run from source
 * through test/support/ts-register.js, so no build is needed) supervising real child processes
 * — the bundled simulator, the worker and the API — on the shared test Temporal dev server
 * (QUILLFLOW_EXTERNAL_TEMPORAL=1), a fresh SQLite file and free ports.
 *
 *  - kill -9 of the worker mid-batch: the supervisor logs the restart and starts a new worker,
 *    /health answers throughout, the batch completes with every item stored once; then Ctrl-C
 *    (SIGINT to the process group, as a terminal sends it) stops everything with exit code 0
 *    and leaves no process behind;
 *  - a PORT another server holds: exit 1 at once with the setting to change, before any child
 *    starts (that server's /health must not pass for ours);
 *  - children that fail at start every time (PRICING_FILE names a missing file; the worker and
 *    the API both load it): each restarts after 1, 2, 4, 8 s, then the supervisor gives up on
 *    the first to exit a fifth time, with exit code 1.
 *
 * The subject does not depend on the database: one run, in the SQLite project.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { msToTs } from '../temporal/sdk-internals';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createTestDatabase, type TestDatabase } from './support/test-db';
import { findFreePort, isPortFree } from '../temporal/dev-server/ports';
import { http } from './support/platform';
import { pause, waitFor } from './support/wait';
import { testTemporalAddress } from './temporal-env';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const ITEMS = 30; // 15 pairs × 2 frameworks

interface StartScript {
  proc: ChildProcess;
  /** Process group of the start script and of every child it starts. */
  pgid: number;
  baseUrl: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for a line of its output matching `re` (the Nth match with `nth`). */
  waitForOutput(re: RegExp, timeoutMs: number, nth?: number): Promise<RegExpMatchArray>;
}

async function startScript(
  name: string,
  db: TestDatabase,
  env: Record<string, string> = {},
): Promise<StartScript> {
  const port = await findFreePort();
  const simulatorPort = await findFreePort();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const logFile = path.join(ARTIFACTS, `start-supervisor-${name}.log`);
  const proc = spawn(
    process.execPath,
    ['-r', './test/support/ts-register.js', 'scripts/start.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        QUILLFLOW_EXTERNAL_TEMPORAL: '1',
        TEMPORAL_ADDRESS: testTemporalAddress(),
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: `supervisor-${randomUUID().slice(0, 8)}`,
        DATABASE_URL: db.url,
        HOST: '127.0.0.1',
        PORT: String(port),
        SIMULATOR_PORT: String(simulatorPort),
        SIMULATOR_LATENCY_MS: '400',
        SIMULATOR_URL: '',
        // No provider: start.ts starts the bundled simulator.
        PROVIDER_API_KEY: '',
        PROVIDER_API_BASE_URL: '',
        PROVIDER_MODEL: '',
        API_KEYS: '',
        ADMIN_API_KEYS: '',
        RATE_LIMITING_ENABLED: 'false',
        LOG_LEVEL: 'warn',
        LOG_FILE_PATH: '',
        // Calls in flight on a killed worker are retried after startToClose = timeout + 5 s.
        OPENAI_TIMEOUT: '5',
        RETRY_MIN_WAIT_SECONDS: '0.1',
        RETRY_MAX_WAIT_SECONDS: '1',
        WORKER_METRICS_PORT: '',
        WORKER_APP_METRICS_PORT: '',
        OTEL_ENABLED: 'false',
        ...env,
      },
      detached: true, // its own process group: Ctrl-C goes to the group, and the group must end empty
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (proc.pid === undefined) throw new Error('could not spawn scripts/start.ts');
  let out = '';
  const log = fs.createWriteStream(logFile);
  const onData = (chunk: Buffer): void => {
    out += chunk.toString('utf8');
    log.write(chunk);
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  // 'close': stdout and stderr are drained as well.
  const closed = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  return {
    proc,
    pgid: proc.pid,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => out,
    exited: exited.then(async (r) => {
      await closed;
      log.end();
      return r;
    }),
    async waitForOutput(re, timeoutMs, nth = 1) {
      const all = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
      const nthMatch = (): RegExpMatchArray | undefined => [...out.matchAll(all)][nth - 1];
      await waitFor(
        `${re} in the output of npm start`,
        async () => {
          if (!nthMatch() && done)
            throw new Error(`npm start exited before printing ${re}; output:\n${out.slice(-4000)}`);
          return nthMatch();
        },
        (m) => m !== undefined,
        { timeoutMs, everyMs: 50 },
      );
      return nthMatch()!;
    },
  };
}

/** True while the process lives (zombies count: their parent did not reap them). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** True while any process of the group lives. */
const groupAlive = (pgid: number): boolean => alive(-pgid);

function within<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)),
  );
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Polls GET /health until end() and says how every answer went. */
function watchHealth(baseUrl: string): { end(): Promise<{ ok: number; failures: string[] }> } {
  let running = true;
  let ok = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (running) {
      const at = new Date().toISOString();
      try {
        const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.ok) ok++;
        else failures.push(`${at}: HTTP ${res.status}`);
      } catch (err) {
        failures.push(`${at}: ${(err as Error).message}`);
      }
      await pause(200);
    }
  })();
  return {
    async end() {
      running = false;
      await loop;
      return { ok, failures };
    },
  };
}

/** Runs `wait`; when it fails, adds what the batch, its audit rows and npm start's output say. */
async function explainTimeout<T>(wait: () => Promise<T>, diagnose: () => Promise<string>) {
  try {
    return await wait();
  } catch (err) {
    const diagnosis = await diagnose().catch((e: Error) => `(no diagnosis: ${e.message})`);
    (err as Error).message += `\n${diagnosis}`;
    throw err;
  }
}

/** A short account of a batch that makes no progress, small enough to survive a CI log's cuts. */
async function diagnoseBatch(s: StartScript, db: TestDatabase, batchId: string): Promise<string> {
  let runLine: string;
  try {
    const run = await http(s.baseUrl, 'GET', `/api/runs/${encodeURIComponent(batchId)}`);
    const pending = JSON.stringify(run.body?.pendingActivities ?? null).slice(0, 600);
    runLine = `HTTP ${run.status} ${JSON.stringify(run.body?.status)}, pending activities ${pending}`;
  } catch (e) {
    runLine = (e as Error).message;
  }
  const batch = await db.prisma.batch.findUnique({
    where: { id: batchId },
    select: { status: true, completed: true, failed: true, stopReason: true },
  });
  const attempts = await db.prisma.llmCallAttempt.groupBy({
    by: ['outcome'],
    where: { batchId },
    _count: true,
  });
  const firstError = await db.prisma.llmCallAttempt.findFirst({
    where: { batchId, outcome: { not: 'success' } },
    select: { outcome: true, errorType: true, errorMessage: true },
  });
  // npm start's own lines and the children's warnings, without the bundler's listing.
  const lines = s
    .output()
    .split('\n')
    .filter((l) => /^\[start\]|"level":"(warn|error|fatal)"|\b(ERROR|WARN)\b|Worker state/.test(l))
    .slice(-25);
  return [
    `batch row: ${JSON.stringify(batch)}`,
    `run: ${runLine}`,
    `audit rows: ${JSON.stringify(attempts.map((a) => [a.outcome, a._count]))}; first not successful: ${JSON.stringify(firstError)?.slice(0, 400)}`,
    `npm start output (filtered):`,
    ...lines.map((l) => `  ${l.slice(0, 300)}`),
  ].join('\n');
}

describe('npm start supervises its processes (scripts/start.ts, real child processes)', () => {
  let db: TestDatabase | undefined;
  let start: StartScript | undefined;
  let health: ReturnType<typeof watchHealth> | undefined;
  afterEach(async () => {
    await health?.end();
    health = undefined;
    if (start && groupAlive(start.pgid)) {
      console.error(
        `npm start still running after the test; killing its group. Output:\n${start.output().slice(-4000)}`,
      );
      process.kill(-start.pgid, 'SIGKILL');
      await start.exited;
    }
    start = undefined;
    await db?.drop();
    db = undefined;
  });

  it('restarts a worker killed with kill -9 mid-batch; the API stays up, every item is done once; Ctrl-C stops all with 0', async () => {
    db = await createTestDatabase('sqlite');
    const began = Date.now();
    start = await startScript('restart', db);
    const s = start;
    await s.waitForOutput(/\[start\] Quillflow is up/, 120_000);
    const firstWorker = Number(
      (await s.waitForOutput(/\[start\] worker started \(pid (\d+)\)/, 1_000))[1],
    );
    health = watchHealth(s.baseUrl);

    const res = await http(s.baseUrl, 'POST', '/api/batches', {
      generate: {
        count: ITEMS / 2,
        primaryNames: ['Alice', 'Bob', 'Carol', 'Dave', 'Erin'],
        secondaryNames: ['Mallory', 'Niaj', 'Olivia'],
      },
      frameworks: ['semantic-kernel', 'langchain'],
      concurrency: 3,
    });
    expect(res.status).toBe(202);
    const batchId = res.body.batchId as string;
    const stories = () => db!.prisma.story.count({ where: { batchId } });
    await explainTimeout(
      () =>
        waitFor('the first stories of the batch', stories, (n) => n >= 3, {
          timeoutMs: 120_000,
          everyMs: 50,
        }),
      () => diagnoseBatch(s, db!, batchId),
    );

    process.kill(firstWorker, 'SIGKILL');
    const killedAt = Date.now();
    const atKill = await stories();
    expect(atKill).toBeLessThan(ITEMS); // the kill came mid-batch
    await s.waitForOutput(
      /\[start\] worker exited \(SIGKILL\); restarting in 1 s \(restart 1\)/,
      30_000,
    );
    const secondWorker = Number(
      (await s.waitForOutput(/\[start\] worker started \(pid (\d+)\)/, 30_000, 2))[1],
    );
    const restartedAfterMs = Date.now() - killedAt;
    expect(secondWorker).not.toBe(firstWorker);

    await waitFor('a story stored by the new worker', stories, (n) => n > atKill, {
      timeoutMs: 120_000,
      everyMs: 100,
    });
    const progressAfterMs = Date.now() - killedAt;
    const row = await waitFor(
      'the batch to finish',
      () => db!.prisma.batch.findUnique({ where: { id: batchId } }),
      (b) => b !== null && b.status !== 'running' && b.finishedAt !== null,
      { timeoutMs: 180_000, everyMs: 200 },
    );
    const finishedAfterMs = Date.now() - killedAt;
    expect(row).toMatchObject({
      status: 'completed',
      completed: ITEMS,
      failed: 0,
      totalItems: ITEMS,
    });

    // The row is written by the workflow's last activity; its run closes a moment later.
    const batch = await waitFor(
      'the batch run to close',
      () => http(s.baseUrl, 'GET', `/api/batches/${batchId}`),
      (r) => r.status !== 200 || r.body.status !== 'RUNNING',
      { timeoutMs: 60_000, everyMs: 200 },
    );
    expect(batch.status).toBe(200);
    expect(batch.body.status).toBe('COMPLETED');
    expect(batch.body.report).toMatchObject({
      state: 'completed',
      total: ITEMS,
      completed: ITEMS,
      failed: 0,
      notStarted: 0,
    });
    const rows = await db.prisma.story.findMany({
      where: { batchId },
      select: { workflowId: true },
    });
    expect(rows).toHaveLength(ITEMS);
    expect(new Set(rows.map((r) => r.workflowId))).toEqual(
      new Set(Array.from({ length: ITEMS }, (_, n) => `${batchId}/item-${n}`)),
    );

    const { ok, failures } = await health.end();
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    expect(s.output()).not.toMatch(/giving up|\[start\] (api|simulator) exited/);

    // Ctrl-C: the terminal signals the whole foreground process group.
    const pids = [...s.output().matchAll(/\[start\] \w+ started \(pid (\d+)\)/g)].map((m) =>
      Number(m[1]),
    );
    process.kill(-s.pgid, 'SIGINT');
    const exit = await within('npm start to stop on Ctrl-C', s.exited, 60_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(s.output()).toMatch(
      /\[start\] SIGINT received; stopping everything[\s\S]*\[start\] stopped\n/,
    );
    expect(groupAlive(s.pgid)).toBe(false);
    expect(pids.filter(alive)).toEqual([]);
    console.log(
      `npm start supervisor: ${ITEMS}-item batch, worker killed after ${atKill} stories, restarted (new pid logged) ` +
        `${restartedAfterMs} ms after the kill, next story after ${progressAfterMs} ms, batch done after ` +
        `${finishedAfterMs} ms; /health answered ${ok} times, 0 failures; total ${Date.now() - began} ms`,
    );
  });

  it('gives up with exit code 1 when a child keeps crashing (worker and API with a missing PRICING_FILE)', async () => {
    db = await createTestDatabase('sqlite');
    const began = Date.now();
    const missing = path.join(path.dirname(db.url.slice('file:'.length)), 'no-such-pricing.json');
    start = await startScript('give-up', db, { PRICING_FILE: missing });
    const exit = await within('npm start to give up', start.exited, 240_000);
    const out = start.output();
    expect(exit).toEqual({ code: 1, signal: null });
    expect(out).toContain(missing); // the children's own error, each time
    // Both crash on their own schedule; the supervisor gives up on the first to exit a fifth time.
    const gaveUp = [
      ...out.matchAll(
        /\[start\] (worker|api) exited \(code 1\); it exited 5 times within 2 min: giving up, stopping everything/g,
      ),
    ];
    expect(gaveUp).toHaveLength(1);
    const child = gaveUp[0][1];
    const restarts = [
      ...out.matchAll(
        new RegExp(
          `\\[start\\] ${child} exited \\(code 1\\); restarting in (\\d+) s \\(restart (\\d+)\\)`,
          'g',
        ),
      ),
    ].map((m) => [Number(m[1]), Number(m[2])]);
    expect(restarts).toEqual([
      [1, 1],
      [2, 2],
      [4, 3],
      [8, 4],
    ]);
    expect(out).toMatch(/\[start\] stopped \(exit code 1\)\n/);
    expect(out).not.toMatch(/\[start\] simulator exited/);
    expect(groupAlive(start.pgid)).toBe(false);
    console.log(
      `npm start supervisor: gave up on the ${child} after it failed at start 5 times, after ${Date.now() - began} ms`,
    );
  });

  it("stops at once, exit 1, when a child refuses its configuration (a namespace without Quillflow's search attributes)", async () => {
    db = await createTestDatabase('sqlite');
    // A fresh namespace has none of Quillflow's attributes; setup is switched off.
    const namespace = `supervisor-bare-${randomUUID().slice(0, 8)}`;
    const conn = await Connection.connect({ address: testTemporalAddress() });
    try {
      await conn.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs(86_400_000),
      });
    } finally {
      await conn.close();
    }
    start = await startScript('refused', db, {
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_NAMESPACE_SETUP: 'false',
    });
    const exit = await within('npm start to stop', start.exited, 120_000);
    const out = start.output();
    expect(exit).toEqual({ code: 1, signal: null });
    // The child's own message with the fix, then the supervisor's: no restart in between.
    expect(out).toContain(
      `temporal operator search-attribute create --namespace ${namespace} --name CorrelationId --type Keyword`,
    );
    expect(out).toMatch(
      /\[start\] (worker|api) refused its configuration \(exit 78; see above\); stopping everything/,
    );
    expect(out).not.toMatch(/restarting in/);
    expect(groupAlive(start.pgid)).toBe(false);
  });

  it('leaves no child behind when npm start itself is killed with kill -9 (each stops when its IPC channel closes)', async () => {
    db = await createTestDatabase('sqlite');
    start = await startScript('supervisor-killed', db);
    const s = start;
    await s.waitForOutput(/\[start\] Quillflow is up/, 120_000);
    const pids = Object.fromEntries(
      await Promise.all(
        ['simulator', 'worker', 'api'].map(
          async (name) =>
            [
              name,
              Number(
                (
                  await s.waitForOutput(
                    new RegExp(`\\[start\\] ${name} started \\(pid (\\d+)\\)`),
                    1_000,
                  )
                )[1],
              ),
            ] as const,
        ),
      ),
    );
    expect(Object.values(pids).every(alive)).toBe(true);

    process.kill(s.pgid, 'SIGKILL'); // the start script only: a terminal that dies, an OOM kill
    // (s.exited also waits for the output pipes, which the children hold until they exit.)
    await waitFor(
      'npm start to die',
      async () => s.proc.signalCode,
      (sig) => sig === 'SIGKILL',
      {
        timeoutMs: 10_000,
      },
    );
    // Each child notices the closed channel and shuts down as on SIGTERM (the worker drains).
    const left = await waitFor(
      'the children of the killed npm start to exit',
      async () => Object.entries(pids).filter(([, pid]) => alive(pid)),
      (l) => l.length === 0,
      { timeoutMs: 60_000, everyMs: 100 },
    );
    expect(left).toEqual([]);
    expect(await within('its output to close', s.exited, 10_000)).toEqual({
      code: null,
      signal: 'SIGKILL',
    });
    expect(groupAlive(s.pgid)).toBe(false);
    expect(await isPortFree('127.0.0.1', Number(new URL(s.baseUrl).port))).toBe(true);
  });

  it('refuses to start, exit 1, when its PORT is taken (instead of reporting another server as up)', async () => {
    db = await createTestDatabase('sqlite');
    const other = net.createServer((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\n'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as net.AddressInfo;
    try {
      start = await startScript('port-taken', db, { PORT: String(port) });
      const exit = await within('npm start to stop', start.exited, 60_000);
      const out = start.output();
      expect(exit).toEqual({ code: 1, signal: null });
      expect(out).toContain(
        `[start] failed: port ${port} on 127.0.0.1 is already in use (PORT); stop what listens there or set PORT to a free port`,
      );
      expect(out).not.toMatch(/started \(pid|Quillflow is up/);
      expect(groupAlive(start.pgid)).toBe(false);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
