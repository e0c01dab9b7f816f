import { startSimulator } from './server';
import { announceListening, stopWithSupervisor } from '../common/listening-signal';

// `npm run sim`: the simulator alone, for the offline demo and manual poking.
// Env: SIMULATOR_PORT (8100), SIMULATOR_HOST (127.0.0.1), SIMULATOR_LATENCY_MS (0),
// SIMULATOR_JITTER_MS (0), SIMULATOR_SEED ('quillflow'), SIMULATOR_REQUESTS_PER_MINUTE and
// SIMULATOR_TOKENS_PER_MINUTE (0 = no limit; POST /_sim/limits changes them).

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  }
  return value;
}

async function main(): Promise<void> {
  stopWithSupervisor();
  const sim = await startSimulator({
    port: intEnv('SIMULATOR_PORT', 8100),
    host: process.env.SIMULATOR_HOST || '127.0.0.1',
    latencyMs: intEnv('SIMULATOR_LATENCY_MS', 0),
    jitterMs: intEnv('SIMULATOR_JITTER_MS', 0),
    ...(process.env.SIMULATOR_SEED ? { seed: process.env.SIMULATOR_SEED } : {}),
    limits: {
      ...(intEnv('SIMULATOR_REQUESTS_PER_MINUTE', 0)
        ? { requestsPerMinute: intEnv('SIMULATOR_REQUESTS_PER_MINUTE', 0) }
        : {}),
      ...(intEnv('SIMULATOR_TOKENS_PER_MINUTE', 0)
        ? { tokensPerMinute: intEnv('SIMULATOR_TOKENS_PER_MINUTE', 0) }
        : {}),
    },
  });
  console.log(`LLM simulator (OpenAI-compatible, NOT a real model) listening on ${sim.url}`);
  announceListening();

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`LLM simulator: ${signal} received, stopping`);
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('LLM simulator: error while stopping', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('LLM simulator failed to start:', err);
  process.exit(1);
});
