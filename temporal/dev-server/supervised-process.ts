/**
 * Spawns a long-running server process that cannot outlive its owner.
 *
 * The command runs under a tiny `sh` supervisor in its own process group:
 *  - stop() signals the whole group (SIGTERM, then SIGKILL after a grace period), so nothing
 *    the server started survives;
 *  - the supervisor's stdin is a pipe from this Node process. When Node dies for any reason
 *    (even SIGKILL, a crashed Jest, a killed CI step) the pipe reaches EOF and the supervisor
 *    terminates the server. Detaching alone would leave orphans; not detaching would leave no
 *    group to kill.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';

// $0 is a label; "$@" is the real command. fd 3 keeps the Node pipe: a background job's stdin
// would otherwise be /dev/null. `read` is a builtin, so killing the watcher leaves no stray child.
const SUPERVISOR_SCRIPT = `
exec 3<&0
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
"$@" </dev/null 3<&- &
child=$!
(
  while read -r _ <&3; do :; done
  kill -TERM "$child" 2>/dev/null
  n=0
  while kill -0 "$child" 2>/dev/null && [ "$n" -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
  kill -KILL "$child" 2>/dev/null
) &
watcher=$!
wait "$child"; status=$?
# A trapped signal interrupts wait early: keep waiting until the server has really exited,
# then wait once more, which yields its real exit status instead of 128+signal.
while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
wait "$child" 2>/dev/null; rc=$?
[ "$rc" -eq 127 ] || status=$rc
# Reap the watcher too: an orphaned zombie would keep the process group "alive".
kill "$watcher" 2>/dev/null
wait "$watcher" 2>/dev/null
exit "$status"
`;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SupervisedProcess {
  /** pid of the supervisor, which is also the process-group id. */
  pid: number;
  exited: Promise<ExitInfo>;
  hasExited(): boolean;
  /** Last lines of combined stdout/stderr, for error messages. */
  outputTail(): string;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the supervisor has exited. */
  stop(graceMs?: number): Promise<ExitInfo>;
}

export interface SpawnSupervisedOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Append all output here as well (created if missing). */
  logFile?: string;
  /** Lines kept in memory for outputTail(). */
  tailLines?: number;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; // ESRCH: already gone
  }
}

export function spawnSupervised(
  label: string,
  command: string,
  args: readonly string[],
  opts: SpawnSupervisedOptions = {},
): SupervisedProcess {
  const child: ChildProcess = spawn('/bin/sh', ['-c', SUPERVISOR_SCRIPT, label, command, ...args], {
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    detached: true, // own process group, so stop() can signal everything at once
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`failed to spawn ${command}`);
  const pid = child.pid;

  const maxLines = opts.tailLines ?? 200;
  const lines: string[] = [];
  let log: WriteStream | undefined;
  if (opts.logFile) log = createWriteStream(opts.logFile, { flags: 'a' });
  const onData = (chunk: Buffer): void => {
    log?.write(chunk);
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > maxLines) lines.splice(0, lines.length - maxLines);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // Writes never happen; ignore EPIPE-style errors once the supervisor is gone.
  child.stdin?.on('error', () => undefined);

  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      // The supervisor has exited; its stdin pipe has no more purpose.
      child.stdin?.destroy();
      log?.end();
      resolve(exitInfo);
    });
  });

  let stopping: Promise<ExitInfo> | undefined;
  const stop = (graceMs = 5_000): Promise<ExitInfo> => {
    stopping ??= (async () => {
      if (exitInfo) return exitInfo;
      signalGroup(pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
      ]);
      clearTimeout(timer);
      if (timedOut) signalGroup(pid, 'SIGKILL');
      const info = await exited;
      // Anything still in the group (shouldn't be) goes down with it.
      signalGroup(pid, 'SIGKILL');
      return info;
    })();
    return stopping;
  };

  return {
    pid,
    exited,
    hasExited: () => exitInfo !== undefined,
    outputTail: () => lines.join('\n'),
    stop,
  };
}
