import 'reflect-metadata';
import { createApiApp } from './bootstrap';
import { platformDepsFromEnv } from './platform-deps';
import { announceListening, stopWithSupervisor } from '../common/listening-signal';
import { EXIT_TEMPORAL_NOT_SET_UP, TemporalNotSetUpError } from '../temporal/namespace-contract';

async function main(): Promise<void> {
  stopWithSupervisor();
  // Refuses to start (TemporalNotSetUpError, exit 1) when the namespace lacks what Quillflow needs.
  const deps = await platformDepsFromEnv('api', {}, { namespaceContract: true });
  const app = await createApiApp(deps);
  await app.listen(deps.config.env.PORT, deps.config.env.HOST);
  deps.logger.info({ url: await app.getUrl(), docs: '/api/docs' }, 'Quillflow API listening');
  announceListening();
  const stop = async () => {
    await app.close();
    await deps.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(err instanceof TemporalNotSetUpError ? EXIT_TEMPORAL_NOT_SET_UP : 1);
});
