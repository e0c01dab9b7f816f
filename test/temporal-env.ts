/**
 * How integration suites find the shared Temporal dev server that `test/global-setup.ts`
 * starts once per Jest run (Jest workers inherit the env var from the parent process).
 */
export const TEST_TEMPORAL_ADDRESS_ENV = 'QUILLFLOW_TEST_TEMPORAL_ADDRESS';

/** Namespace of the shared test server; suites isolate themselves with unique task queues / ids. */
export const TEST_TEMPORAL_NAMESPACE = 'default';

export function testTemporalAddress(): string {
  const address = process.env[TEST_TEMPORAL_ADDRESS_ENV];
  if (!address) {
    throw new Error(
      `${TEST_TEMPORAL_ADDRESS_ENV} is not set: this suite needs the shared Temporal dev server. ` +
        'Run it through Jest with globalSetup "<rootDir>/test/global-setup.ts" (see jest.config.js), ' +
        `or point ${TEST_TEMPORAL_ADDRESS_ENV} at a running server (e.g. \`npm run temporal:dev\` → localhost:7233).`,
    );
  }
  return address;
}

/** The integration-cluster project's Temporal cluster (test/global-setup-cluster.ts). */
export const TEST_CLUSTER_ADDRESS_ENV = 'QUILLFLOW_TEST_CLUSTER_ADDRESS';
/** Its cluster-state.json: the current process group of each service (temporal/cluster/cluster.ts). */
export const TEST_CLUSTER_STATE_ENV = 'QUILLFLOW_TEST_CLUSTER_STATE';

/** True in the integration-cluster project (test/setup-cluster.ts). */
export function onTestCluster(): boolean {
  return process.env.QUILLFLOW_TEST_TEMPORAL_KIND === 'cluster';
}
