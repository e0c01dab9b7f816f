/**
 * Jest globalSetup of the integration-cluster project: a real Temporal cluster (four service
 * processes on PostgreSQL, temporal/cluster) for the whole run, on databases of its own that
 * globalTeardown drops. Its address and state file reach the test workers through env vars
 * (test/setup-cluster.ts points the suites at it). Never skips: without the server binary and no
 * Go to build it, the run fails loudly.
 */
import * as path from 'node:path';
import { startThrowawayCluster, type ThrowawayCluster } from '../temporal/cluster/throwaway';
import { bundleWorkflowsOnce } from './global-setup';
import { TEST_CLUSTER_ADDRESS_ENV, TEST_CLUSTER_STATE_ENV } from './temporal-env';

export const GLOBAL_CLUSTER_KEY = '__quillflowTestCluster__';

export type TestClusterHandle = ThrowawayCluster;

type GlobalWithCluster = typeof globalThis & { [GLOBAL_CLUSTER_KEY]?: TestClusterHandle };

const log = (m: string): void => console.error(`[test-cluster] ${m}`);

export default async function globalSetup(globalConfig?: { rootDir?: string }): Promise<void> {
  const g = globalThis as GlobalWithCluster;
  const rootDir = globalConfig?.rootDir ?? process.cwd();
  await bundleWorkflowsOnce(rootDir);
  if (g[GLOBAL_CLUSTER_KEY]) return;
  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl)
    throw new Error(
      'the integration-cluster project needs TEST_POSTGRES_URL (jest.config.js sets it)',
    );

  const handle = await startThrowawayCluster({
    adminUrl,
    user: 'quillflow_test_temporal',
    databasePrefix: 'qf_temporal',
    parentDir: path.join(rootDir, 'test-artifacts'),
    ui: true,
    log,
  });
  g[GLOBAL_CLUSTER_KEY] = handle;
  process.env[TEST_CLUSTER_ADDRESS_ENV] = handle.cluster.address;
  process.env[TEST_CLUSTER_STATE_ENV] = handle.cluster.stateFile;
}
