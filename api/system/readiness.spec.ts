import { runChecks, withTimeout } from './readiness';

describe('withTimeout', () => {
  it('passes a result through', async () => {
    await expect(withTimeout(Promise.resolve(7), 50)).resolves.toBe(7);
  });
  it('rejects when the work takes too long', async () => {
    await expect(withTimeout(new Promise(() => undefined), 20)).rejects.toThrow(
      'no answer within 20 ms',
    );
  });
});

describe('runChecks', () => {
  it('is ready when every check passes', async () => {
    await expect(
      runChecks({ database: async () => 1, temporal: async () => 2 }, 100),
    ).resolves.toEqual({
      status: 'ready',
      checks: { database: 'ok', temporal: 'ok' },
    });
  });

  it('names each failed or hung check and hands the error to the logger only', async () => {
    const failures: string[] = [];
    const r = await runChecks(
      {
        database: () => {
          throw new Error('cannot open /secret/path.db');
        },
        temporal: () => new Promise(() => undefined),
        other: async () => 'fine',
      },
      30,
      (name, err) => failures.push(`${name}: ${(err as Error).message}`),
    );
    expect(r).toEqual({
      status: 'not_ready',
      checks: { database: 'failed', temporal: 'timeout', other: 'ok' },
    });
    expect(JSON.stringify(r)).not.toContain('secret');
    expect(failures).toEqual([
      'database: cannot open /secret/path.db',
      'temporal: no answer within 30 ms',
    ]);
  });
});
