import { Agent, request } from 'node:http';
import { KEEP_ALIVE_TIMEOUT_MS } from '../api/bootstrap';
import { type ApiOnly, startApiOnly } from './support/api-only';

/**
 * Keep-alive: the API keeps an idle connection open past Node's 5 s default, so a client's next
 * request on it is not met by a server that has just closed the socket (ECONNRESET).
 */
describe('HTTP connections', () => {
  let api: ApiOnly;
  beforeAll(async () => {
    api = await startApiOnly();
  });
  afterAll(async () => {
    await api?.close();
  });

  function get(
    agent: Agent,
    path: string,
  ): Promise<{ status: number; reused: boolean; keepAlive: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${api.baseUrl}${path}`, { agent }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            reused: req.reusedSocket,
            keepAlive: String(res.headers['keep-alive']),
          }),
        );
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('an idle keep-alive connection is still usable after 6 s, and the server says how long it keeps it', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(agent, '/health');
      expect(first).toMatchObject({ status: 200, reused: false });
      expect(first.keepAlive).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
      await new Promise((r) => setTimeout(r, 6_000)); // past Node's default of 5 s
      const second = await get(agent, '/health');
      expect(second).toMatchObject({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 30_000);
});
