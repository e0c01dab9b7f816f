/** Command-line flags of `npm run bench -- ...` and their full / quick defaults. */
import { BATCH_ITEM_MODES, type BatchItemMode } from '../common/batch-items';

export const BENCHMARKS = ['P0', 'P1', 'P2', 'P3', 'P4', 'P5'] as const;
export type BenchmarkId = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  quick: boolean;
  only: BenchmarkId[];
  db: 'sqlite' | 'postgresql';
  /** P1: stories in the batch. */
  n: number;
  /** P0: stories in the counted batch (one batch per item mode). */
  countsN: number;
  /** P1, P3, P5: the batches' item mode (absent: the API's default). */
  itemMode?: BatchItemMode;
  /** P1, P3 and P5: simulated LLM latency per call, ms. */
  latencyMs: number;
  /** P1, P3 and P5: provider concurrency = the batch window. */
  concurrency: number;
  /** P5: stories in each batch. */
  scaleOutN: number;
  /** P5: worker processes of the cluster rows (one row each). */
  scaleOutWorkers: number[];
  /** P3: stories in the scale batch. */
  scaleN: number;
  /** P3: continue-as-new after this many starts per run (undefined = the product default). */
  continueAsNewAfter?: number;
  /** P2: measured runs per mode and latency (after warm-up). */
  runs: number;
  /** P2: the two latencies compared. */
  overheadLatencies: number[];
  /** P4: seconds per endpoint, and the offered rate. */
  durationSeconds: number;
  rate: number;
  connections: number;
  /** P4: GET /api/batches/:id while a batch runs: its size, window, and the offered rate. */
  batchN: number;
  batchWindow: number;
  batchRate: number;
  /** Worker options (JSON) for experiments; runs bench/worker-main.js instead of workers/main.js. */
  workerTuning?: Record<string, unknown>;
  /**
   * Start the worker with MALLOC_ARENA_MAX=2, as npm start and docker compose do
   * (glibc otherwise gives each native/V8 thread its own malloc arena: ~75 MB more RSS).
   */
  arenaMax: boolean;
  /** Extra environment for the worker process (e.g. WORKER_MAX_CONCURRENT_ACTIVITIES=200). */
  workerEnv: Record<string, string>;
  /**
   * Extra environment for every platform process (API, worker) and the bench's own starts, e.g.
   * STORY_PERSIST_LOCAL_ACTIVITY=false or RUN_CACHE_MAX_ENTRIES=0 to measure a product setting off.
   */
  platformEnv: Record<string, string>;
  /** Extra node flags for the worker process (e.g. --cpu-prof, --max-old-space-size=256). */
  workerNodeArgs: string[];
  /** Extra node flags for the API process. */
  apiNodeArgs: string[];
  /** Extra `--dynamic-config-value k=v` for the dev server (experiments). */
  temporalDynamic: string[];
  /** Written into the report: what this run is (e.g. "baseline", "pollers=20"). */
  label: string;
  /** Report folder. */
  outDir: string;
  /** LOG_LEVEL of the worker and API processes (their output goes to a log file). */
  logLevel: string;
}

const HELP = `Usage: npm run bench -- [flags]

  --quick                 CI-sized run (tiny N, short durations; < 2 minutes)
  --only P0,P1,P2,P3,P4,P5  run only these benchmarks (default: all)
  --db sqlite|postgresql  application database (default sqlite; postgresql needs TEST_POSTGRES_URL
                          or the local socket postgresql://root@/postgres?host=/var/run/postgresql)
  --n N                   P1 batch size (default 1000; quick 40)
  --p0-n N                P0 batch size, one batch per item mode (default 200; quick 40)
  --item-mode MODE        P1/P3/P5 batches: activity or workflow (default: the API's default)
  --latency MS            P1/P3/P5 simulated LLM latency (default 500; quick 200)
  --concurrency C         P1/P3/P5 provider concurrency = batch window (default 50; quick 20)
  --p5-n N                P5 batch size, every row (default 1000; quick 40)
  --p5-workers A,B        P5 worker processes of the cluster rows (default 1,2,4; quick 1,2)
  --scale-n N             P3 batch size (default 10000; quick 120)
  --can-after N           P3 continue-as-new after N starts per run (default: product default; quick 50)
  --runs N                P2 measured runs per mode and latency (default 20; quick 3)
  --p2-latencies A,B      P2 latencies compared (default 1000,0)
  --duration S            P4 seconds per endpoint (default 30; quick 3)
  --rate R                P4 requests per second (default 200)
  --connections N         P4 connections (default 20)
  --p4-batch-n N          P4 batch running during GET /api/batches/:id (default 3000; quick 200)
  --p4-batch-window W     its window (default 500)
  --p4-batch-rate R       GET /api/batches/:id requests per second (default 20)
  --worker-tuning JSON    worker options for an experiment, e.g. '{"maxCachedWorkflows":200}'
  --worker-env K=V        extra worker environment (repeatable)
  --env K=V               extra environment for the API, the worker and the bench's own starts
                          (repeatable), e.g. STORY_PERSIST_LOCAL_ACTIVITY=false, RUN_CACHE_MAX_ENTRIES=0
  --no-arena-max          start the worker without MALLOC_ARENA_MAX=2 (which npm start and docker compose set)
  --worker-node-arg ARG   extra node flag for the worker process (repeatable), e.g. --cpu-prof
  --api-node-arg ARG      extra node flag for the API process (repeatable)
  --temporal-dynamic K=V  extra dev-server dynamic config (repeatable)
  --label TEXT            name of this run in the report
  --out DIR               report folder (default bench/reports)
  --log-level LEVEL       worker/API log level (default info)
`;

export function parseOptions(argv: string[], cwd: string): BenchOptions {
  const flags = new Map<string, string[]>();
  const bare = new Set(['--quick', '--no-arena-max', '--help', '-h']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) throw new Error(`unexpected argument "${arg}"\n\n${HELP}`);
    const eq = arg.indexOf('=');
    let key = arg;
    let value: string | undefined;
    if (eq > 0 && arg.startsWith('--')) {
      key = arg.slice(0, eq);
      value = arg.slice(eq + 1);
    } else if (!bare.has(arg)) {
      value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value\n\n${HELP}`);
    }
    flags.set(key, [...(flags.get(key) ?? []), value ?? 'true']);
  }
  if (flags.has('--help') || flags.has('-h')) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const known = new Set([
    '--quick',
    '--no-arena-max',
    '--only',
    '--db',
    '--n',
    '--p0-n',
    '--item-mode',
    '--latency',
    '--concurrency',
    '--p5-n',
    '--p5-workers',
    '--scale-n',
    '--can-after',
    '--runs',
    '--p2-latencies',
    '--duration',
    '--rate',
    '--connections',
    '--p4-batch-n',
    '--p4-batch-window',
    '--p4-batch-rate',
    '--worker-tuning',
    '--worker-env',
    '--env',
    '--worker-node-arg',
    '--api-node-arg',
    '--temporal-dynamic',
    '--label',
    '--out',
    '--log-level',
  ]);
  for (const k of flags.keys()) if (!known.has(k)) throw new Error(`unknown flag ${k}\n\n${HELP}`);

  const one = (k: string) => flags.get(k)?.at(-1);
  const int = (k: string, def: number, min = 1): number => {
    const v = one(k);
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`${k} must be a whole number >= ${min} (got "${v}")`);
    return n;
  };
  const quick = flags.has('--quick');
  const only = (one('--only') ?? BENCHMARKS.join(','))
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  for (const b of only)
    if (!(BENCHMARKS as readonly string[]).includes(b))
      throw new Error(`--only: unknown benchmark ${b}`);
  const db = one('--db') ?? 'sqlite';
  if (db !== 'sqlite' && db !== 'postgresql') throw new Error('--db must be sqlite or postgresql');
  const kv = (k: string): Record<string, string> =>
    Object.fromEntries(
      (flags.get(k) ?? []).map((s) => {
        const i = s.indexOf('=');
        if (i <= 0) throw new Error(`${k} takes KEY=VALUE (got "${s}")`);
        return [s.slice(0, i), s.slice(i + 1)];
      }),
    );
  let workerTuning: Record<string, unknown> | undefined;
  if (one('--worker-tuning')) {
    try {
      workerTuning = JSON.parse(one('--worker-tuning')!) as Record<string, unknown>;
    } catch {
      throw new Error('--worker-tuning must be a JSON object');
    }
  }
  const canAfter = one('--can-after');
  const itemMode = one('--item-mode');
  if (itemMode !== undefined && !(BATCH_ITEM_MODES as readonly string[]).includes(itemMode))
    throw new Error(`--item-mode must be one of ${BATCH_ITEM_MODES.join(', ')}`);
  return {
    quick,
    only: BENCHMARKS.filter((b) => only.includes(b)),
    db,
    n: int('--n', quick ? 40 : 1000),
    countsN: int('--p0-n', quick ? 40 : 200),
    ...(itemMode !== undefined ? { itemMode: BATCH_ITEM_MODES.find((m) => m === itemMode) } : {}),
    latencyMs: int('--latency', quick ? 200 : 500, 0),
    concurrency: int('--concurrency', quick ? 20 : 50),
    scaleN: int('--scale-n', quick ? 120 : 10_000),
    scaleOutN: int('--p5-n', quick ? 40 : 1000),
    scaleOutWorkers: (one('--p5-workers') ?? (quick ? '1,2' : '1,2,4')).split(',').map((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 16)
        throw new Error(`--p5-workers takes worker counts 1-16 (got "${v}")`);
      return n;
    }),
    continueAsNewAfter: canAfter !== undefined ? int('--can-after', 500) : quick ? 50 : undefined,
    runs: int('--runs', quick ? 3 : 20),
    overheadLatencies: (one('--p2-latencies') ?? '1000,0').split(',').map((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0)
        throw new Error(`--p2-latencies takes whole numbers of ms (got "${v}")`);
      return n;
    }),
    durationSeconds: int('--duration', quick ? 3 : 30),
    rate: int('--rate', 200),
    connections: int('--connections', 20),
    batchN: int('--p4-batch-n', quick ? 200 : 3000),
    batchWindow: int('--p4-batch-window', 500),
    batchRate: int('--p4-batch-rate', 20),
    workerTuning,
    arenaMax: !flags.has('--no-arena-max'),
    workerEnv: kv('--worker-env'),
    platformEnv: kv('--env'),
    workerNodeArgs: flags.get('--worker-node-arg') ?? [],
    apiNodeArgs: flags.get('--api-node-arg') ?? [],
    temporalDynamic: (flags.get('--temporal-dynamic') ?? []).map(String),
    label: one('--label') ?? (quick ? 'quick' : 'full'),
    outDir: one('--out') ?? `${cwd}/bench/reports`,
    logLevel: one('--log-level') ?? 'info',
  };
}
