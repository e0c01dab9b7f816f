/** Runs a short-lived command and captures its output; errors carry the output tail for diagnosis. */
import { execFile } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

/** Keeps error messages readable: installers (pip, go) can print thousands of lines. */
export function tail(text: string, maxLines = 25): string {
  const lines = text.trimEnd().split('\n');
  return (lines.length > maxLines ? ['…', ...lines.slice(-maxLines)] : lines).join('\n');
}

export function runCommand(
  cmd: string,
  args: readonly string[],
  opts: RunCommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      {
        env: opts.env ?? process.env,
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          const output = tail(`${stdout}\n${stderr}`);
          const reason = error.killed
            ? `timed out after ${opts.timeoutMs ?? 60_000} ms`
            : typeof error.code === 'number'
              ? `exit code ${error.code}`
              : error.message.split('\n')[0]; // e.g. spawn ENOENT
          reject(
            new Error(`\`${[cmd, ...args].join(' ')}\` failed: ${reason}\n${output}`, {
              cause: error,
            }),
          );
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}
