import { connectTemporal, connectWorkerNative, temporalConfigFromEnv } from './connection';
import { findFreePort } from './dev-server/ports';

describe('connection', () => {
  it('gives up after the retry window with an error naming the address', async () => {
    const port = await findFreePort(); // nothing listens there
    const started = Date.now();
    await expect(
      connectTemporal(
        { address: `127.0.0.1:${port}`, namespace: 'default' },
        { retryForMs: 1_500 },
      ),
    ).rejects.toThrow(
      new RegExp(`Could not connect client to Temporal at 127\\.0\\.0\\.1:${port}`),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(
      connectWorkerNative({ address: `127.0.0.1:${port}` }, { retryForMs: 1_500 }),
    ).rejects.toThrow(/Could not connect worker to Temporal/);
  });

  it('reads the standard TEMPORAL_* variables', () => {
    expect(temporalConfigFromEnv({})).toEqual({
      address: 'localhost:7233',
      namespace: 'default',
      apiKey: undefined,
      tls: undefined,
    });
    expect(
      temporalConfigFromEnv({
        TEMPORAL_ADDRESS: 'x:1',
        TEMPORAL_NAMESPACE: 'n',
        TEMPORAL_API_KEY: 'k',
        TEMPORAL_TLS: 'true',
      }),
    ).toEqual({ address: 'x:1', namespace: 'n', apiKey: 'k', tls: true });
  });
});
