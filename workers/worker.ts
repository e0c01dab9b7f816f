import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps, type FrameworkRegistry } from '../activities';

export interface QuillflowWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** The frameworks it runs: production's unless given (a test adds a fixture framework). */
  frameworks?: FrameworkRegistry;
  /** A prebuilt bundle (production, tests); without it the workflows are bundled at start. */
  workflowBundlePath?: string;
  tuning?: WorkerTuning;
  /** Worker plugins, e.g. OpenTelemetry tracing (workers/observability.ts). */
  plugins?: WorkerOptions['plugins'];
}

/** Worker options that only change performance (BENCHMARKS.md says what each one gave). */
export type WorkerTuning = Pick<
  WorkerOptions,
  | 'maxConcurrentActivityTaskExecutions'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxCachedWorkflows'
  | 'workflowTaskPollerBehavior'
  | 'activityTaskPollerBehavior'
  | 'nonStickyToStickyPollRatio'
  | 'maxActivitiesPerSecond'
  | 'maxTaskQueueActivitiesPerSecond'
  | 'stickyQueueScheduleToStartTimeout'
  | 'workflowThreadPoolSize'
>;

export function workflowsPath(): string {
  return require.resolve('../workflows');
}

export async function createQuillflowWorker(o: QuillflowWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    activities: createActivities(o.deps, o.frameworks),
    ...(o.workflowBundlePath
      ? { workflowBundle: { codePath: o.workflowBundlePath } }
      : { workflowsPath: workflowsPath() }),
    ...o.tuning,
    maxConcurrentActivityTaskExecutions: o.tuning?.maxConcurrentActivityTaskExecutions ?? 100,
    maxConcurrentWorkflowTaskExecutions: o.tuning?.maxConcurrentWorkflowTaskExecutions ?? 40,
    shutdownGraceTime: '10s',
    // LangGraph activities heartbeat once per finished node (a handful per run) and a retry
    // resumes from the last heartbeat: a throttled, unsent heartbeat means paying for a node twice.
    defaultHeartbeatThrottleInterval: '10ms',
    maxHeartbeatThrottleInterval: '10ms',
    plugins: o.plugins,
  });
}
