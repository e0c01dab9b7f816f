/**
 * Builds (once per machine) and prints the cached Temporal server, temporal-sql-tool and Web UI
 * of the local cluster: `.ci/run` calls it as its own timed step, before the tests need them.
 */
import { resolveTemporalServer, resolveTemporalUi } from './install';

async function main(): Promise<void> {
  const log = (m: string): void => console.error(`[temporal-install] ${m}`);
  const server = await resolveTemporalServer({ log });
  const ui = await resolveTemporalUi({ log });
  console.log(
    `Temporal server ${server.version}: ${server.server}\nTemporal Web UI ${ui.version}: ${ui.server}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
