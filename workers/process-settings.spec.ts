import * as v8 from 'node:v8';
import { describeWorkerMemory, workerNodeArgs, workerProcessEnv } from './process-settings';

describe('worker process settings', () => {
  it('starts the worker with the heap limit, or with Node defaults for 0', () => {
    expect(workerNodeArgs({ WORKER_HEAP_MB: 256 })).toEqual(['--max-old-space-size=256']);
    expect(workerNodeArgs({ WORKER_HEAP_MB: 0 })).toEqual([]);
  });

  it('sets MALLOC_ARENA_MAX=2 unless the operator chose a value', () => {
    expect(workerProcessEnv({})).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(workerProcessEnv({ MALLOC_ARENA_MAX: '8' })).toEqual({ MALLOC_ARENA_MAX: '8' });
  });

  it('warns when the process was started without the configured limit', () => {
    const limitMb = Math.round(v8.getHeapStatistics().heap_size_limit / 1048576);
    expect(describeWorkerMemory({ WORKER_HEAP_MB: limitMb }, {})).toEqual({
      heapLimitMb: limitMb,
      mallocArenaMax: null,
      warning: undefined,
    });
    expect(
      describeWorkerMemory({ WORKER_HEAP_MB: 0 }, { MALLOC_ARENA_MAX: '2' }).warning,
    ).toBeUndefined();
    // Jest runs with Node's default limit, far above 16 MB.
    expect(describeWorkerMemory({ WORKER_HEAP_MB: 16 }, {}).warning).toMatch(
      /--max-old-space-size=16/,
    );
  });
});
