import * as grpc from '@grpc/grpc-js';
import { closableRetries } from './connection';

/**
 * A real gRPC server that answers UNAVAILABLE (retryable) and a real grpc-js client with the
 * Temporal SDK's retry interceptor: closing the client while a retry is scheduled must neither
 * throw "Channel has been shut down" from the retry timer nor leave the call hanging.
 */
describe('closableRetries', () => {
  let server: grpc.Server;
  let port: number;
  let calls = 0;

  beforeAll(async () => {
    server = new grpc.Server();
    server.register(
      '/test.Svc/Flaky',
      (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => {
        calls++;
        callback({ code: grpc.status.UNAVAILABLE, details: 'try again' });
      },
      (b: Buffer) => b,
      (b: Buffer) => b,
      'unary',
    );
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
  });
  afterAll(() => server.forceShutdown());

  const call = (client: grpc.Client) =>
    new Promise<grpc.StatusObject | undefined>((resolve) =>
      client.makeUnaryRequest(
        '/test.Svc/Flaky',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.alloc(0),
        (err) =>
          resolve(
            err ? { code: err.code, details: err.details, metadata: err.metadata } : undefined,
          ),
      ),
    );

  it('lets scheduled retries run before the close, then schedules none', async () => {
    const retries = closableRetries();
    const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      interceptors: [retries.interceptor],
    });
    calls = 0;
    const result = call(client);
    // Wait for the first failure: a retry is now scheduled on a timer.
    while (retries.pendingMs() === 0) await new Promise((r) => setTimeout(r, 5));
    expect(calls).toBeGreaterThanOrEqual(1);
    await retries.drain();
    client.close();
    const status = await result;
    expect(status?.code).toBe(grpc.status.UNAVAILABLE);
    const after = calls;
    // Nothing retries on the closed channel (it would throw from a timer and fail this suite).
    await new Promise((r) => setTimeout(r, 1_500));
    expect(calls).toBe(after);
    expect(retries.pendingMs()).toBe(0);
  });
});
