/**
 * Obtains the Temporal server and temporal-sql-tool for the local cluster: `go install` from the
 * Go module proxy (no release download site is reachable here), once per version and machine.
 *
 * The cache holds everything a start needs, so a cleaned Go module cache does not matter:
 *   $QUILLFLOW_CACHE_DIR/temporal-server-<version>/
 *     bin/temporal-server, bin/temporal-sql-tool
 *     config/docker.yaml            the server image's own env-driven config template
 *     schema/postgresql/v12/...      the versioned schemas the sql tool applies
 */
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { findOnPath } from '../cli-install';
import { quillflowCacheDir } from '../cli';
import { withFileLock } from '../file-lock';
import { runCommand } from '../run-command';
import { TEMPORAL_SERVER_MODULE, TEMPORAL_SERVER_PACKAGES, TEMPORAL_SERVER_VERSION } from './version';

export interface TemporalServerInstall {
  version: string;
  dir: string;
  server: string;
  sqlTool: string;
  /** Config template (`--env docker` reads config/docker.yaml under the root). */
  configTemplate: string;
  /** schema/postgresql/v12, with temporal/versioned and visibility/versioned inside. */
  postgresSchemaDir: string;
}

type Log = (m: string) => void;

export function temporalServerInstallDir(
  version = TEMPORAL_SERVER_VERSION,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return path.join(quillflowCacheDir(env), `temporal-server-${version}`);
}

function layout(dir: string, version: string): TemporalServerInstall {
  return {
    version,
    dir,
    server: path.join(dir, 'bin', 'temporal-server'),
    sqlTool: path.join(dir, 'bin', 'temporal-sql-tool'),
    configTemplate: path.join(dir, 'config', 'docker.yaml'),
    postgresSchemaDir: path.join(dir, 'schema', 'postgresql', 'v12'),
  };
}

/** The marker is written last, so a half-finished install is never taken for a finished one. */
const COMPLETE_MARKER = '.complete';

function findGo(): string | undefined {
  return findOnPath('go') ?? ['/usr/local/go/bin/go', '/usr/lib/go/bin/go'].find((p) => existsSync(p));
}

/**
 * The installed server, building it first when this machine has none (minutes on 2 cores;
 * concurrent callers wait for one build through a lock file).
 */
export async function resolveTemporalServer(
  opts: { version?: string; log?: Log } = {},
): Promise<TemporalServerInstall> {
  const version = opts.version ?? TEMPORAL_SERVER_VERSION;
  const log = opts.log ?? ((m: string) => console.error(`[temporal-server] ${m}`));
  const install = layout(temporalServerInstallDir(version), version);
  const marker = path.join(install.dir, COMPLETE_MARKER);
  if (existsSync(marker)) return install;

  return withFileLock(
    `${install.dir}.lock`,
    async () => {
      if (existsSync(marker)) return install; // built by another process meanwhile
      const go = findGo();
      if (!go) {
        throw new Error(
          `The Temporal server ${version} is not in ${install.dir} and there is no \`go\` to build it ` +
            '(Go >= 1.25 on PATH or in /usr/local/go/bin; it comes from the Go module proxy).',
        );
      }
      const started = Date.now();
      const gobin = path.join(install.dir, 'go-bin');
      await fs.rm(install.dir, { recursive: true, force: true });
      await fs.mkdir(path.join(install.dir, 'bin'), { recursive: true });
      const targets = Object.values(TEMPORAL_SERVER_PACKAGES).map((p) => `${p}@v${version}`);
      log(`go install ${targets.join(' ')} (compiles for several minutes, once per machine)`);
      // CGO off: the server's SQL drivers are pure Go, so no C toolchain is needed.
      await runCommand(go, ['install', ...targets], {
        env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' },
        timeoutMs: 45 * 60_000,
      });
      await fs.rename(path.join(gobin, 'server'), install.server);
      await fs.rename(path.join(gobin, 'sql'), install.sqlTool);
      await fs.rm(gobin, { recursive: true, force: true });

      const { stdout } = await runCommand(go, ['env', 'GOMODCACHE']);
      const moduleDir = path.join(stdout.trim(), `${TEMPORAL_SERVER_MODULE}@v${version}`);
      await copyReadable(path.join(moduleDir, 'config', 'docker.yaml'), install.configTemplate);
      await copyReadable(path.join(moduleDir, 'schema', 'postgresql', 'v12'), install.postgresSchemaDir);
      await fs.writeFile(marker, `${version}\n`);
      log(`Temporal server ${version} installed in ${install.dir} in ${Math.round((Date.now() - started) / 1000)} s`);
      return install;
    },
    { log, timeoutMs: 60 * 60_000 },
  );
}

/** Copies out of the Go module cache, whose files are read-only, into files we may delete later. */
async function copyReadable(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  await fs.cp(from, to, { recursive: true });
  await makeWritable(to);
}

async function makeWritable(p: string): Promise<void> {
  const stat = await fs.stat(p);
  await fs.chmod(p, stat.isDirectory() ? 0o755 : 0o644);
  if (stat.isDirectory()) {
    for (const entry of await fs.readdir(p)) await makeWritable(path.join(p, entry));
  }
}
