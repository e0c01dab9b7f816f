import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { withFileLock } from './file-lock';

describe('withFileLock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'quillflow-lock-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serialises holders and removes the lock afterwards', async () => {
    const lock = path.join(dir, 'sub', 'x.lock');
    const events: string[] = [];
    const holder = (name: string) =>
      withFileLock(lock, async () => {
        events.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 50));
        events.push(`${name} out`);
        return name;
      });
    await expect(Promise.all([holder('a'), holder('b')])).resolves.toEqual(['a', 'b']);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
    await expect(fs.access(lock)).rejects.toThrow();
  });

  it('breaks a lock whose owner process is gone', async () => {
    const lock = path.join(dir, 'stale.lock');
    await fs.writeFile(lock, '999999999\n'); // beyond pid_max: never alive
    const log: string[] = [];
    await expect(withFileLock(lock, async () => 'ok', { log: (m) => log.push(m) })).resolves.toBe(
      'ok',
    );
    expect(log.join('\n')).toMatch(/breaking abandoned lock/);
  });

  it('times out on a live owner with a clear message', async () => {
    const lock = path.join(dir, 'held.lock');
    await fs.writeFile(lock, `${process.ppid}\n`); // our parent: alive, not us
    await expect(withFileLock(lock, async () => 'never', { timeoutMs: 300 })).rejects.toThrow(
      /held by pid/,
    );
    await expect(fs.readFile(lock, 'utf8')).resolves.toBe(`${process.ppid}\n`);
  });
});
