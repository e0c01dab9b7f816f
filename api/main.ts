import 'reflect-metadata';
import { createApiApp } from './bootstrap';
import { platformDepsFromEnv } from './platform-deps';

async function main(): Promise<void> {
  const deps = await platformDepsFromEnv('api');
  const app = await createApiApp(deps);
  await app.listen(deps.config.env.PORT, deps.config.env.HOST);
  deps.logger.info({ url: await app.getUrl(), docs: '/api/docs' }, 'Quillflow API listening');
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
  process.exit(1);
});
