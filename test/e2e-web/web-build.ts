import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');
const WEB = path.join(ROOT, 'web');
const DIST_INDEX = path.join(WEB, 'dist', 'index.html');

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return fs
    .readdirSync(p)
    .reduce((m, name) => Math.max(m, newestMtime(path.join(p, name))), st.mtimeMs);
}

/** True when web/dist is older than any source of the web app. */
export function webBuildIsStale(): boolean {
  if (!fs.existsSync(DIST_INDEX)) return true;
  const built = fs.statSync(DIST_INDEX).mtimeMs;
  const sources = [
    path.join(WEB, 'src'),
    path.join(WEB, 'index.html'),
    path.join(WEB, 'vite.config.mts'),
    path.join(WEB, 'public'),
    // The app imports a few modules of common/ (the `@common` alias in vite.config.mts).
    path.join(ROOT, 'common'),
  ];
  return sources.filter((s) => fs.existsSync(s)).some((s) => newestMtime(s) > built);
}

/** `vite build` of the web app, unless the output is newer than every source. */
export async function ensureWebBuild(log: (m: string) => void = () => {}): Promise<void> {
  if (!webBuildIsStale() && process.env.QUILLFLOW_E2E_REBUILD !== '1') {
    log('web/dist is up to date');
    return;
  }
  const started = Date.now();
  await promisify(execFile)(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'web/vite.config.mts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  log(`built the web app in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** `tsc` over web/ (strict, DOM libs): Vite strips types without checking them. */
export async function typecheckWeb(): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'web/tsconfig.json',
      '--noEmit',
    ],
    {
      cwd: ROOT,
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  ).catch((err: { stdout?: string; message: string }) => {
    throw new Error(`web/ does not type-check:\n${err.stdout ?? err.message}`);
  });
}
