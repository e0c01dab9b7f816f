/**
 * The integration-cluster project's Temporal cluster, seen from a test: its state file (the
 * current process group of each service, which temporal/cluster/cluster.ts restarts when it
 * dies), CPU of its processes, and a kill -9 of one service.
 */
import * as fs from 'node:fs';
import {
  CLUSTER_SERVICES,
  processGroupCpuSeconds,
  type ClusterService,
  type ClusterStateFile,
} from '../../temporal/cluster/cluster';
import { isPortOpen } from '../../temporal/dev-server/ports';
import { TEST_CLUSTER_STATE_ENV } from '../temporal-env';
import { waitFor } from './wait';

export function clusterState(): ClusterStateFile {
  const file = process.env[TEST_CLUSTER_STATE_ENV];
  if (!file)
    throw new Error(`${TEST_CLUSTER_STATE_ENV} is not set: not in the integration-cluster project`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterStateFile;
}

/** CPU seconds of the live service processes. */
export function clusterCpuSeconds(): number {
  const s = clusterState();
  return CLUSTER_SERVICES.reduce(
    (sum, svc) => sum + processGroupCpuSeconds(s.services[svc].pgid),
    0,
  );
}

/**
 * SIGKILL to one service's process group, then waits until the cluster has started it again
 * and its gRPC port answers. Returns the time it was away.
 */
export async function killClusterService(service: ClusterService): Promise<number> {
  const before = clusterState().services[service];
  const t0 = Date.now();
  process.kill(-before.pgid, 'SIGKILL');
  const after = await waitFor(
    `Temporal ${service} started again`,
    async () => clusterState().services[service],
    (s) => s.starts > before.starts,
    { timeoutMs: 60_000, everyMs: 100 },
  );
  await waitFor(
    `Temporal ${service} serving on :${after.grpcPort}`,
    () => isPortOpen('127.0.0.1', after.grpcPort),
    Boolean,
    {
      timeoutMs: 60_000,
      everyMs: 100,
    },
  );
  return Date.now() - t0;
}
