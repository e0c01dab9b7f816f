// Switching a SQLite file from rollback-journal to WAL mode needs an exclusive lock, and SQLite
// reports SQLITE_BUSY at once (without waiting for busy_timeout) while another connection is
// writing. That happens when processes start together on a new file, so the switch is retried.
// Once a file is in WAL mode the pragma is a no-op that never blocks.
import { setTimeout as sleep } from 'node:timers/promises';

export const WAL_PRAGMA = 'PRAGMA journal_mode = WAL';

export async function enableWal(run: () => unknown, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await run();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(25 + Math.random() * 50);
    }
  }
}
