import * as v8 from 'node:v8';

/**
 * Process-level memory settings of a worker: they must be given when the process starts, so
 * every launcher we ship (scripts/start.ts, docker-compose.yml, the benchmarks) starts the worker
 * with them, and the worker says at start-up whether it got them. BENCHMARKS.md ("Worker
 * memory") has the measurements behind the defaults.
 *
 * - `--max-old-space-size=WORKER_HEAP_MB`: Node sizes the default heap limit from the machine's
 *   RAM (4 GB here), and V8 lets the heap grow long before it collects; a cap makes it collect
 *   sooner. The live set of a busy worker stays far below it.
 * - `MALLOC_ARENA_MAX=2`: glibc otherwise gives each native thread (Temporal core's tokio
 *   runtime, V8 helpers) its own malloc arena, which hold on to freed memory.
 */
export interface WorkerMemorySettings {
  WORKER_HEAP_MB: number;
}

/** Node flags the worker process is started with. */
export function workerNodeArgs(env: WorkerMemorySettings): string[] {
  return env.WORKER_HEAP_MB > 0 ? [`--max-old-space-size=${env.WORKER_HEAP_MB}`] : [];
}

/** Environment the worker process is started with (an operator's own value wins). */
export function workerProcessEnv(current: NodeJS.ProcessEnv): Record<string, string> {
  return { MALLOC_ARENA_MAX: current.MALLOC_ARENA_MAX ?? '2' };
}

/** What this process got, for the start-up log; `warning` when WORKER_HEAP_MB was not applied. */
export function describeWorkerMemory(
  env: WorkerMemorySettings,
  current: NodeJS.ProcessEnv,
): { heapLimitMb: number; mallocArenaMax: string | null; warning?: string } {
  const heapLimitMb = Math.round(v8.getHeapStatistics().heap_size_limit / 1048576);
  const mallocArenaMax = current.MALLOC_ARENA_MAX ?? null;
  // heap_size_limit = old space + young generation (some tens of MB).
  const applied = env.WORKER_HEAP_MB === 0 || heapLimitMb <= env.WORKER_HEAP_MB + 128;
  return {
    heapLimitMb,
    mallocArenaMax,
    warning: applied
      ? undefined
      : `worker started without its heap limit: WORKER_HEAP_MB=${env.WORKER_HEAP_MB} but the limit is ${heapLimitMb} MB; ` +
        `start it as \`node --max-old-space-size=${env.WORKER_HEAP_MB} dist/workers/main.js\` (npm start and docker compose do)`,
  };
}
