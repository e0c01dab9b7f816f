/**
 * A cross-process lock made of a file holding the owner's pid.
 *
 * Used to serialise one-time installs into a shared cache: several Jest workers (or a test run
 * and `.ci/run`) may try to install the Temporal CLI at the same moment. `.ci/run` writes the
 * same file format (pid + newline, created with O_EXCL via bash noclobber), so both agree.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export interface FileLockOptions {
  /** Give up waiting after this long. Go builds of the CLI take minutes, so the default is generous. */
  timeoutMs?: number;
  /** A lock file older than this is considered abandoned even if its pid looks alive (pid reuse). */
  staleMs?: number;
  log?: (m: string) => void;
}

const POLL_MS = 500;

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLockOwner(
  lockPath: string,
): Promise<{ pid: number; ageMs: number } | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    return { pid: Number.parseInt(text.trim(), 10), ageMs: Date.now() - stat.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Runs `fn` while holding the lock at `lockPath`; waits for (or breaks an abandoned) lock first. */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  opts: FileLockOptions = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30 * 60_000;
  const staleMs = opts.staleMs ?? 60 * 60_000;
  const deadline = Date.now() + timeoutMs;
  await fs.mkdir(path.dirname(lockPath), { recursive: true });
  let announcedWait = false;

  for (;;) {
    try {
      await fs.writeFile(lockPath, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await readLockOwner(lockPath);
    if (!owner) continue; // released between our attempt and the read: try again at once
    // An empty file is a lock being written right now (create and write are two steps), unless old.
    const abandoned = Number.isFinite(owner.pid)
      ? !pidIsAlive(owner.pid) || owner.ageMs > staleMs
      : owner.ageMs > 10_000;
    if (abandoned) {
      opts.log?.(
        `breaking abandoned lock ${lockPath} (pid ${owner.pid}, ${Math.round(owner.ageMs / 1000)} s old)`,
      );
      // Two waiters may both decide to break it; the loser simply retries the O_EXCL create.
      await fs.rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for lock ${lockPath} held by pid ${owner.pid}. ` +
          `If no install is running, delete the file.`,
      );
    }
    if (!announcedWait) {
      opts.log?.(`waiting for pid ${owner.pid}, which holds ${lockPath}`);
      announcedWait = true;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }

  try {
    return await fn();
  } finally {
    // Only remove the lock if it is still ours (it may have been broken as stale meanwhile).
    const owner = await readLockOwner(lockPath).catch(() => undefined);
    if (owner?.pid === process.pid) await fs.rm(lockPath, { force: true });
  }
}
