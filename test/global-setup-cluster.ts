/**
 * Jest globalSetup of the integration-cluster project: a real Temporal cluster (four service
 * processes on PostgreSQL, temporal/cluster) for the whole run, on databases of its own that
 * globalTeardown drops. Its address and state file reach the test workers through env vars
 * (test/setup-cluster.ts points the suites at it). Never skips: without the server binary and no
 * Go to build it, the run fails loudly.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freeClusterPorts, startTemporalCluster, type TemporalCluster } from '../temporal/cluster/cluster';
import { ensureClusterRole, type ClusterDatabaseSettings } from '../temporal/cluster/database';
import { bundleWorkflowsOnce } from './global-setup';
import { TEST_CLUSTER_ADDRESS_ENV, TEST_CLUSTER_STATE_ENV } from './temporal-env';

export const GLOBAL_CLUSTER_KEY = '__quillflowTestCluster__';

export interface TestClusterHandle {
  cluster: TemporalCluster;
  db: ClusterDatabaseSettings;
  adminUrl: string;
  dataDir: string;
}

type GlobalWithCluster = typeof globalThis & { [GLOBAL_CLUSTER_KEY]?: TestClusterHandle };

const log = (m: string): void => console.error(`[test-cluster] ${m}`);

export default async function globalSetup(globalConfig?: { rootDir?: string }): Promise<void> {
  const g = globalThis as GlobalWithCluster;
  const rootDir = globalConfig?.rootDir ?? process.cwd();
  await bundleWorkflowsOnce(rootDir);
  if (g[GLOBAL_CLUSTER_KEY]) return;
  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl) throw new Error('the integration-cluster project needs TEST_POSTGRES_URL (jest.config.js sets it)');

  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const dataDir = path.join(rootDir, 'test-artifacts', `temporal-cluster-${suffix}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const db: ClusterDatabaseSettings = {
    host: '127.0.0.1',
    // The services connect over TCP (the server's only way), to the server TEST_POSTGRES_URL names.
    port: Number(process.env.PGPORT || 5432),
    user: 'quillflow_test_temporal',
    password: randomBytes(18).toString('base64url'),
    database: `qf_temporal_${suffix}`,
    visibilityDatabase: `qf_temporal_visibility_${suffix}`,
  };
  await ensureClusterRole(adminUrl, db.user, db.password);
  const cluster = await startTemporalCluster({ dataDir, db, ports: await freeClusterPorts(), log });
  g[GLOBAL_CLUSTER_KEY] = { cluster, db, adminUrl, dataDir };
  process.env[TEST_CLUSTER_ADDRESS_ENV] = cluster.address;
  process.env[TEST_CLUSTER_STATE_ENV] = cluster.stateFile;
}
