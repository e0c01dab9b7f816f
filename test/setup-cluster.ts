// Jest project integration-cluster: the suites run against the real Temporal cluster of
// test/global-setup-cluster.ts (four service processes on PostgreSQL) instead of the dev server,
// with Quillflow's own data on PostgreSQL too.
import { TEST_CLUSTER_ADDRESS_ENV, TEST_TEMPORAL_ADDRESS_ENV } from './temporal-env';

process.env.QUILLFLOW_TEST_DB = 'postgresql';
process.env.QUILLFLOW_TEST_TEMPORAL_KIND = 'cluster';
const address = process.env[TEST_CLUSTER_ADDRESS_ENV];
if (!address)
  throw new Error(
    `${TEST_CLUSTER_ADDRESS_ENV} is not set: test/global-setup-cluster.ts did not run`,
  );
if (!process.env.TEST_POSTGRES_URL)
  throw new Error('TEST_POSTGRES_URL is not set for the integration-cluster project');
process.env[TEST_TEMPORAL_ADDRESS_ENV] = address;
