/** Jest globalTeardown: stops the shared Temporal dev server started by global-setup.ts. */
import type { DevServerHandle } from '../temporal/dev-server/dev-server';
import { GLOBAL_TEMPORAL_KEY } from './global-setup';
import { TEST_TEMPORAL_ADDRESS_ENV } from './temporal-env';

type GlobalWithTemporal = typeof globalThis & { [GLOBAL_TEMPORAL_KEY]?: DevServerHandle };

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as GlobalWithTemporal;
  const server = g[GLOBAL_TEMPORAL_KEY];
  if (!server) return; // an external server (or setup failed before starting one)
  delete g[GLOBAL_TEMPORAL_KEY];
  delete process.env[TEST_TEMPORAL_ADDRESS_ENV];
  await server.stop();
}
