import { ThrottlerStorageService } from '@nestjs/throttler';
import { loadConfig } from '../../../common/config';
import type { Logger } from '../../../common/logger';
import { RouteTable } from '../routes/route-table';
import { RateLimiter } from './rate-limiter';

const silent = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;

function limiter(env: Record<string, string>) {
  const storage = new ThrottlerStorageService();
  const config = loadConfig({ RATE_LIMITING_ENABLED: 'true', ...env });
  const routes = new RouteTable([
    { methods: ['GET'], path: '/health', access: 'public', limit: 'health_status', source: 'test' },
  ]);
  return { rl: new RateLimiter(config, storage, silent, routes), storage };
}

describe('RateLimiter.decide', () => {
  it('lets requests through up to the limit, advertising the budget closest to running out', async () => {
    const { rl, storage } = limiter({ RATE_LIMIT_PER_IP: '3', RATE_LIMIT_HEALTH_STATUS: '2' });
    const first = await rl.decide('GET', '/health', '1.1.1.1');
    expect(first).toMatchObject({
      allowed: true,
      advertised: { check: { type: 'health_status', limit: 2 }, hits: 1 },
    });
    expect(await rl.decide('GET', '/health', '1.1.1.1')).toMatchObject({ allowed: true });
    const third = await rl.decide('GET', '/health', '1.1.1.1');
    expect(third).toMatchObject({
      allowed: false,
      exceeded: { check: { type: 'health_status' }, hits: 3 },
    });
    if (!third.allowed) {
      expect(third.retryAfter).toBeGreaterThanOrEqual(1);
      expect(third.retryAfter).toBeLessThanOrEqual(60);
    }
    storage.onApplicationShutdown();
  });

  it('applies the global budget before the per-client ones', async () => {
    const { rl, storage } = limiter({ RATE_LIMIT_GLOBAL_SERVER: '2' });
    await rl.decide('GET', '/api/provider', 'a');
    await rl.decide('GET', '/api/provider', 'b');
    expect(await rl.decide('GET', '/api/provider', 'c')).toMatchObject({
      allowed: false,
      exceeded: { check: { type: 'global' } },
    });
    storage.onApplicationShutdown();
  });

  it('does not count refused requests, so a client is not locked out by retrying', async () => {
    const { rl, storage } = limiter({ RATE_LIMIT_PER_IP: '1' });
    await rl.decide('GET', '/x', 'c');
    for (let i = 0; i < 5; i++) await rl.decide('GET', '/x', 'c');
    const stored = storage.storage.get('per_ip:c');
    expect(stored?.totalHits.get('per_ip')).toBe(1);
    storage.onApplicationShutdown();
  });
});
