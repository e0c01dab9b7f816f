/**
 * Obtains the Temporal server, temporal-sql-tool and the Temporal Web UI server for the local
 * cluster: `go install` from the Go module proxy (no release download site is reachable here),
 * once per version and machine. Each cache folder holds everything a start needs, so a cleaned
 * Go module cache does not matter:
 *   $QUILLFLOW_CACHE_DIR/temporal-server-<version>/
 *     bin/temporal-server, bin/temporal-sql-tool
 *     config/docker.yaml             the server image's own env-driven config template
 *     schema/postgresql/v12/...      the versioned schemas the sql tool applies
 *   $QUILLFLOW_CACHE_DIR/temporal-ui-<version>/
 *     bin/temporal-ui-server         the UI's assets are embedded in the module and the binary
 *     config/docker.yaml             the UI image's env-driven config template
 */
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { findOnPath } from '../dev-server/cli-install';
import { quillflowCacheDir } from '../dev-server/cli';
import { withFileLock } from '../dev-server/file-lock';
import { runCommand } from '../dev-server/run-command';
import {
  TEMPORAL_SERVER_MODULE,
  TEMPORAL_SERVER_PACKAGES,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_UI_MODULE,
  TEMPORAL_UI_PACKAGE,
  TEMPORAL_UI_VERSION,
} from './version';

type Log = (m: string) => void;

/** What to build from one Go module, and which of its files to keep beside the binaries. */
interface GoInstallSpec {
  /** Cache folder name, e.g. temporal-server-1.30.1. */
  folder: string;
  module: string;
  version: string;
  /** Binary name in bin/ → package path inside the module. */
  binaries: Record<string, string>;
  /** Path inside the module → path inside the cache folder. */
  files: Record<string, string>;
}

export interface TemporalServerInstall {
  version: string;
  dir: string;
  server: string;
  sqlTool: string;
  /** config/docker.yaml of the server image. */
  configTemplate: string;
  /** schema/postgresql/v12, with temporal/versioned and visibility/versioned inside. */
  postgresSchemaDir: string;
}

export interface TemporalUiInstall {
  version: string;
  dir: string;
  server: string;
  /** config/docker.yaml of the UI image. */
  configTemplate: string;
}

export async function resolveTemporalServer(
  opts: { log?: Log } = {},
): Promise<TemporalServerInstall> {
  const dir = await goInstallCached(
    {
      folder: `temporal-server-${TEMPORAL_SERVER_VERSION}`,
      module: TEMPORAL_SERVER_MODULE,
      version: TEMPORAL_SERVER_VERSION,
      binaries: {
        'temporal-server': TEMPORAL_SERVER_PACKAGES.server,
        'temporal-sql-tool': TEMPORAL_SERVER_PACKAGES.sqlTool,
      },
      files: {
        'config/docker.yaml': 'config/docker.yaml',
        'schema/postgresql/v12': 'schema/postgresql/v12',
      },
    },
    opts.log,
  );
  return {
    version: TEMPORAL_SERVER_VERSION,
    dir,
    server: path.join(dir, 'bin', 'temporal-server'),
    sqlTool: path.join(dir, 'bin', 'temporal-sql-tool'),
    configTemplate: path.join(dir, 'config', 'docker.yaml'),
    postgresSchemaDir: path.join(dir, 'schema', 'postgresql', 'v12'),
  };
}

export async function resolveTemporalUi(opts: { log?: Log } = {}): Promise<TemporalUiInstall> {
  const dir = await goInstallCached(
    {
      folder: `temporal-ui-${TEMPORAL_UI_VERSION}`,
      module: TEMPORAL_UI_MODULE,
      version: TEMPORAL_UI_VERSION,
      binaries: { 'temporal-ui-server': TEMPORAL_UI_PACKAGE },
      files: { 'config/docker.yaml': 'config/docker.yaml' },
    },
    opts.log,
  );
  return {
    version: TEMPORAL_UI_VERSION,
    dir,
    server: path.join(dir, 'bin', 'temporal-ui-server'),
    configTemplate: path.join(dir, 'config', 'docker.yaml'),
  };
}

/** The marker is written last, so a half-finished install is never taken for a finished one. */
const COMPLETE_MARKER = '.complete';

function findGo(): string | undefined {
  return (
    findOnPath('go') ?? ['/usr/local/go/bin/go', '/usr/lib/go/bin/go'].find((p) => existsSync(p))
  );
}

/**
 * The cache folder of `spec`, building it first when this machine has none (minutes on 2 cores;
 * concurrent callers wait for one build through a lock file).
 */
async function goInstallCached(
  spec: GoInstallSpec,
  log: Log = (m) => console.error(`[temporal-install] ${m}`),
): Promise<string> {
  const dir = path.join(quillflowCacheDir(), spec.folder);
  const marker = path.join(dir, COMPLETE_MARKER);
  if (existsSync(marker)) return dir;

  return withFileLock(
    `${dir}.lock`,
    async () => {
      if (existsSync(marker)) return dir; // built by another process meanwhile
      const go = findGo();
      if (!go) {
        throw new Error(
          `${spec.module} ${spec.version} is not in ${dir} and there is no \`go\` to build it ` +
            '(Go >= 1.25 on PATH or in /usr/local/go/bin; it comes from the Go module proxy).',
        );
      }
      const started = Date.now();
      const gobin = path.join(dir, 'go-bin');
      await fs.rm(dir, { recursive: true, force: true });
      await fs.mkdir(path.join(dir, 'bin'), { recursive: true });
      const targets = Object.values(spec.binaries).map((p) => `${p}@v${spec.version}`);
      log(`go install ${targets.join(' ')} (compiles for several minutes, once per machine)`);
      // CGO off: everything here is pure Go, so no C toolchain is needed.
      await runCommand(go, ['install', ...targets], {
        env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
        timeoutMs: 45 * 60_000,
      });
      for (const [name, pkg] of Object.entries(spec.binaries)) {
        await fs.rename(path.join(gobin, path.posix.basename(pkg)), path.join(dir, 'bin', name));
      }
      await fs.rm(gobin, { recursive: true, force: true });

      const { stdout } = await runCommand(go, ['env', 'GOMODCACHE']);
      const moduleDir = path.join(stdout.trim(), `${spec.module}@v${spec.version}`);
      for (const [from, to] of Object.entries(spec.files))
        await copyWritable(path.join(moduleDir, from), path.join(dir, to));
      await fs.writeFile(marker, `${spec.version}\n`);
      log(
        `${spec.module} ${spec.version} installed in ${dir} in ${Math.round((Date.now() - started) / 1000)} s`,
      );
      return dir;
    },
    { log, timeoutMs: 60 * 60_000 },
  );
}

/** Copies out of the Go module cache, whose files are read-only, into files we may delete later. */
async function copyWritable(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  await fs.cp(from, to, { recursive: true });
  const fix = async (p: string): Promise<void> => {
    const stat = await fs.stat(p);
    await fs.chmod(p, stat.isDirectory() ? 0o755 : 0o644);
    if (stat.isDirectory()) for (const entry of await fs.readdir(p)) await fix(path.join(p, entry));
  };
  await fix(to);
}
