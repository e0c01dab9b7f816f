/**
 * `npm run temporal:dev`: a persistent local Temporal server with Quillflow's search attributes.
 *
 * Env: TEMPORAL_PORT (7233), TEMPORAL_UI_PORT (8233), TEMPORAL_DB_FILE (./data/temporal.db),
 * TEMPORAL_IP (127.0.0.1), TEMPORAL_NAMESPACE (default), TEMPORAL_HEADLESS=1,
 * TEMPORAL_LOG_FILE (server output; default: only shown on failure).
 */
import { startDevServer } from './dev-server';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${name}=${raw} is not a port number`);
  return value;
}

async function main(): Promise<void> {
  const log = (m: string): void => console.log(`[temporal] ${m}`);
  const server = await startDevServer({
    port: intFromEnv('TEMPORAL_PORT', 7233),
    uiPort: intFromEnv('TEMPORAL_UI_PORT', 8233),
    headless: ['1', 'true'].includes(process.env.TEMPORAL_HEADLESS ?? ''),
    dbFilename: process.env.TEMPORAL_DB_FILE || './data/temporal.db',
    ip: process.env.TEMPORAL_IP || undefined,
    namespace: process.env.TEMPORAL_NAMESPACE || undefined,
    logFile: process.env.TEMPORAL_LOG_FILE || undefined,
    log,
  });
  log(
    `Temporal server ${server.address}${server.uiUrl ? `, Web UI ${server.uiUrl}` : ''}. Ctrl-C to stop.`,
  );

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, stopping`);
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  // A server that dies on its own takes this process down too, so supervisors (npm start) notice.
  const info = await server.exited;
  if (!stopping) {
    console.error(
      `[temporal] server exited unexpectedly (${info.signal ?? `code ${info.code}`}):\n${server.outputTail()}`,
    );
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
