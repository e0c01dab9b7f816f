/** Jest globalTeardown of the integration-cluster project: stops the cluster, drops its databases. */
import { GLOBAL_CLUSTER_KEY, type TestClusterHandle } from './global-setup-cluster';
import { TEST_CLUSTER_ADDRESS_ENV, TEST_CLUSTER_STATE_ENV } from './temporal-env';

type GlobalWithCluster = typeof globalThis & { [GLOBAL_CLUSTER_KEY]?: TestClusterHandle };

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as GlobalWithCluster;
  const handle = g[GLOBAL_CLUSTER_KEY];
  if (!handle) return;
  delete g[GLOBAL_CLUSTER_KEY];
  delete process.env[TEST_CLUSTER_ADDRESS_ENV];
  delete process.env[TEST_CLUSTER_STATE_ENV];
  await handle.close();
}
