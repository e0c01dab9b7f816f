/**
 * Jest globalSetup: ONE real Temporal dev server (headless, in-memory, free ports) for the
 * whole run. Runs in Jest's parent process; the address is published through an env var that
 * the test workers inherit. Never skips: without a Temporal CLI the run fails loudly.
 *
 * If QUILLFLOW_TEST_TEMPORAL_ADDRESS is already set, that server is used (search attributes
 * are ensured on it) and nothing is started.
 */
import * as path from 'node:path';
import { resolveTemporalCli } from '../temporal/dev-server/cli';
import { connectTemporal } from '../temporal/connection';
import { startDevServer } from '../temporal/dev-server/dev-server';
import type { DevServerHandle } from '../temporal/dev-server/dev-server';
import { ensureSearchAttributes } from '../temporal/search-attribute-registry';
import { TEST_TEMPORAL_ADDRESS_ENV, TEST_TEMPORAL_NAMESPACE } from './temporal-env';
import { writeWorkflowBundle } from '../workers/bundle';

/** Bundles the workflow code once per run; every in-test worker loads it instead of webpacking again. */
export async function bundleWorkflowsOnce(rootDir: string): Promise<void> {
  if (process.env.QUILLFLOW_TEST_WORKFLOW_BUNDLE) return;
  const started = Date.now();
  const file = await writeWorkflowBundle(
    path.join(rootDir, 'test-artifacts', `workflow-bundle-${process.pid}.js`),
  );
  process.env.QUILLFLOW_TEST_WORKFLOW_BUNDLE = file;
  log(`workflow bundle ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Shared with global-teardown.ts (same process). */
export const GLOBAL_TEMPORAL_KEY = '__quillflowTestTemporal__';

type GlobalWithTemporal = typeof globalThis & { [GLOBAL_TEMPORAL_KEY]?: DevServerHandle };

const log = (m: string): void => console.error(`[test-temporal] ${m}`);

interface JestConfigLike {
  rootDir?: string;
}

export default async function globalSetup(globalConfig?: JestConfigLike): Promise<void> {
  const g = globalThis as GlobalWithTemporal;
  await bundleWorkflowsOnce(globalConfig?.rootDir ?? process.cwd());
  // With several Jest projects each may list this file; one server serves them all.
  if (g[GLOBAL_TEMPORAL_KEY]) return;

  const external = process.env[TEST_TEMPORAL_ADDRESS_ENV];
  if (external) {
    log(`using the existing Temporal server at ${external} (${TEST_TEMPORAL_ADDRESS_ENV})`);
    const temporal = await connectTemporal({
      address: external,
      namespace: TEST_TEMPORAL_NAMESPACE,
    });
    try {
      await ensureSearchAttributes(temporal.connection, TEST_TEMPORAL_NAMESPACE, undefined, log);
    } finally {
      await temporal.close();
    }
    return;
  }

  const started = Date.now();
  let cliPath: string;
  try {
    cliPath = await resolveTemporalCli({ log });
  } catch (err) {
    const bar = '='.repeat(78);
    throw new Error(
      `\n${bar}\nQuillflow tests need the Temporal CLI (the real Temporal server) and could not get it.\n` +
        `${(err as Error).message}\n${bar}`,
      { cause: err },
    );
  }
  const rootDir = globalConfig?.rootDir ?? process.cwd();
  const server = await startDevServer({
    port: 0,
    headless: true,
    cliPath,
    log,
    logFile: path.join(rootDir, 'test-artifacts', 'temporal-dev-server.log'),
  });
  g[GLOBAL_TEMPORAL_KEY] = server;
  process.env[TEST_TEMPORAL_ADDRESS_ENV] = server.address;
  log(
    `shared Temporal dev server at ${server.address} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
