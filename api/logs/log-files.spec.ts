import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../http/api-error';
import { listLogFiles, logDirectory, resolveLogFile } from './log-files';

async function statusOf(p: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof ApiError) return e.getStatus();
    throw e;
  }
}

describe('log files', () => {
  let root: string;
  let dir: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'qf-logfiles-'));
    dir = path.join(root, 'logs');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'app.1.log'), 'a\n');
    fs.writeFileSync(path.join(dir, 'app.log.2025-01-01_10'), 'b\n');
    fs.writeFileSync(path.join(dir, 'sub', 'nested.log'), 'c\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x\n');
    fs.writeFileSync(path.join(root, 'outside.log'), 'secret\n');
    fs.symlinkSync(path.join(root, 'outside.log'), path.join(dir, 'escape.log'));
    fs.symlinkSync(path.join(dir, 'app.1.log'), path.join(dir, 'current.log'));
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(path.join(dir, 'app.log.2025-01-01_10'), old, old);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('logDirectory is the folder of LOG_FILE_PATH, or undefined when file logging is off', () => {
    expect(logDirectory('/var/log/q/app.log')).toBe('/var/log/q');
    expect(logDirectory('')).toBeUndefined();
  });

  it('resolves files inside the directory, through inside symlinks and into subfolders', async () => {
    await expect(resolveLogFile(dir, 'app.1.log')).resolves.toBe(
      fs.realpathSync(path.join(dir, 'app.1.log')),
    );
    await expect(resolveLogFile(dir, 'current.log')).resolves.toBe(
      fs.realpathSync(path.join(dir, 'app.1.log')),
    );
    await expect(resolveLogFile(dir, 'sub/nested.log')).resolves.toContain('nested.log');
    await expect(resolveLogFile(dir, 'sub/../app.1.log')).resolves.toContain('app.1.log');
  });

  it.each([
    '../outside.log',
    '../../etc/passwd',
    'sub/../../outside.log',
    '/etc/passwd',
    '/tmp/../etc/passwd',
    'escape.log',
    'notes.txt',
    'app.1.log\0.txt',
    '..\\outside.log',
    '.',
    '',
  ])('refuses %p with 403', async (requested) => {
    expect(await statusOf(resolveLogFile(dir, requested))).toBe(403);
  });

  it('refuses an absolute path even when it points into the directory', async () => {
    expect(await statusOf(resolveLogFile(dir, path.join(dir, 'app.1.log')))).toBe(403);
    expect(await statusOf(resolveLogFile(dir, path.join(root, 'outside.log')))).toBe(403);
  });

  it('is 404 for a missing log file or a directory', async () => {
    expect(await statusOf(resolveLogFile(dir, 'missing.log'))).toBe(404);
    fs.mkdirSync(path.join(dir, 'folder.log'), { recursive: true });
    expect(await statusOf(resolveLogFile(dir, 'folder.log'))).toBe(404);
    fs.rmdirSync(path.join(dir, 'folder.log'));
  });

  it('lists *.log* files newest first, leaving out escaping symlinks and other files', async () => {
    const names = await listLogFiles(dir);
    expect(names).toEqual(
      expect.arrayContaining(['app.1.log', 'current.log', 'app.log.2025-01-01_10']),
    );
    expect(names).not.toContain('escape.log');
    expect(names).not.toContain('notes.txt');
    expect(names[names.length - 1]).toBe('app.log.2025-01-01_10');
    await expect(listLogFiles(path.join(root, 'nope'))).resolves.toEqual([]);
  });
});
