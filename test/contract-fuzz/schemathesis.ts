import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { quillflowCacheDir } from '../../temporal/dev-server/cli';

/**
 * Schemathesis, the contract fuzzer of test/contract-fuzz.spec.ts: a pinned version from PyPI in
 * its own venv under the cache directory (`$QUILLFLOW_CACHE_DIR/schemathesis-<version>`), made
 * once per machine by `.ci/run` (or by the suite itself on first use) and reused after.
 */
export const SCHEMATHESIS_VERSION = '4.32.5';

export function schemathesisVenv(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(quillflowCacheDir(env), `schemathesis-${SCHEMATHESIS_VERSION}`);
}

/** The `st` executable, installed into the venv first if missing. */
export function ensureSchemathesis(
  log: (line: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const venv = schemathesisVenv(env);
  const st = path.join(venv, 'bin', 'st');
  if (fs.existsSync(st)) return st;
  log(`installing schemathesis==${SCHEMATHESIS_VERSION} into ${venv}`);
  const python = env.PYTHON ?? 'python3';
  execFileSync(python, ['-m', 'venv', '--clear', venv], { stdio: 'inherit' });
  execFileSync(
    path.join(venv, 'bin', 'python'),
    [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--quiet',
      `schemathesis==${SCHEMATHESIS_VERSION}`,
    ],
    { stdio: 'inherit' },
  );
  if (!fs.existsSync(st)) throw new Error(`schemathesis installed, but ${st} is missing`);
  return st;
}

// `.ci/run`: `node -r ./test/support/ts-register.js test/contract-fuzz/schemathesis.ts`
if (require.main === module) {
  const st = ensureSchemathesis((line) => console.error(line));
  console.error(`schemathesis: ${execFileSync(st, ['--version']).toString().trim()} (${st})`);
}
