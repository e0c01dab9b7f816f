import { RouteTable } from '../api/http/routes/route-table';
import { type ApiOnly, startApiOnly } from './support/api-only';
import { http } from './support/platform';

const UUID = /^[0-9a-f-]{36}$/;

/** The API trusts X-Forwarded-For from loopback (`trust proxy` loopback), so each test can be its own client. */
const from = (ip: string) => ({ 'x-forwarded-for': ip });

async function burst(
  api: ApiOnly,
  n: number,
  method: string,
  path: string,
  ip: string,
  body?: unknown,
) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await http(api.baseUrl, method, path, body, from(ip)));
  return out;
}

describe('rate limiting (configurable multi-level design)', () => {
  let api: ApiOnly;
  beforeAll(async () => {
    api = await startApiOnly({
      RATE_LIMITING_ENABLED: 'true',
      RATE_LIMIT_GLOBAL_SERVER: '1000',
      RATE_LIMIT_PER_IP: '8',
      RATE_LIMIT_STORY_GENERATION: '2',
      RATE_LIMIT_LIST_ENDPOINTS: '3',
      RATE_LIMIT_HEALTH_STATUS: '4',
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  // Each route's class, from @RateLimitClass beside it (and the docs' mount), pinned.
  it.each([
    ['POST', '/api/semantic-kernel', 'story_generation'],
    ['POST', '/api/semantic_kernel', 'story_generation'],
    ['POST', '/api/langchain', 'story_generation'],
    ['POST', '/api/langgraph/', 'story_generation'],
    ['POST', '/API/Stories', 'story_generation'],
    ['GET', '/api/stories', 'list_endpoints'],
    ['GET', '/api/stories/12', 'list_endpoints'],
    ['DELETE', '/api/stories', 'list_endpoints'],
    ['GET', '/api/stories/search/characters', 'list_endpoints'],
    ['GET', '/api/cost/usage', 'list_endpoints'],
    ['POST', '/api/context/upload', 'list_endpoints'],
    ['GET', '/health', 'health_status'],
    ['GET', '/health/ready', 'health_status'],
    ['GET', '/openapi.json', 'health_status'],
    ['GET', '/api/docs', 'health_status'],
    ['GET', '/api/docs/swagger-ui-bundle.js', 'health_status'],
    ['GET', '/api/redoc', 'health_status'],
    ['GET', '/api/provider', 'default'],
    ['GET', '/api/storiesX', 'default'],
    ['GET', '/healthz', 'default'],
    ['POST', '/api/chat/langchain', 'default'],
    ['GET', '/', 'default'],
  ])('%s %s is limited as %s', (method, path, expected) => {
    expect(api.app.get(RouteTable).endpointClass(method, path)).toBe(expected);
  });

  it('advertises the tightest budget on successes, then answers 429 in the error envelope with every header', async () => {
    const ok = await burst(api, 4, 'GET', '/health', '10.0.0.1');
    expect(ok.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(ok.map((r) => r.headers.get('x-ratelimit-limit'))).toEqual(['4', '4', '4', '4']);
    expect(ok.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['3', '2', '1', '0']);
    const now = Date.now() / 1000;
    const reset = Number(ok[0].headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThan(now);
    expect(reset).toBeLessThanOrEqual(now + 61);

    const refused = await http(api.baseUrl, 'GET', '/health', undefined, from('10.0.0.1'));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body).toEqual({
      error: {
        type: 'RateLimitExceeded',
        message: `Too many requests. Try again in ${retryAfter} seconds.`,
        code: 'RATE_LIMIT_EXCEEDED',
        details: {
          limit: 4,
          current: 5,
          window: '1 minute',
          reset_at: expect.any(String),
          limit_type: 'health_status',
        },
      },
      detail: `Too many requests. Try again in ${retryAfter} seconds.`,
    });
    expect(refused.headers.get('x-ratelimit-limit')).toBe('4');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(refused.headers.get('x-ratelimit-reset'))).toBeGreaterThan(now);
    expect(refused.headers.get('x-request-id')).toMatch(UUID);
    expect(refused.headers.get('x-transaction-guid')).toMatch(UUID);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');

    // Budgets are per client and per class: the same client may still use other endpoints,
    // and another client may still call /health.
    expect(
      (await http(api.baseUrl, 'GET', '/api/provider', undefined, from('10.0.0.1'))).status,
    ).toBe(200);
    expect((await http(api.baseUrl, 'GET', '/health', undefined, from('10.0.0.2'))).status).toBe(
      200,
    );
  });

  it('limits story generation per client before validating or starting anything', async () => {
    const body = { primaryCharacter: '', secondaryCharacter: 'B', framework: 'langchain' };
    const res = await burst(api, 3, 'POST', '/api/stories', '10.0.1.1', body);
    expect(res.map((r) => r.status)).toEqual([422, 422, 429]);
    expect(res[2].body.error.details).toMatchObject({ limit: 2, limit_type: 'story_generation' });
    const compat = await burst(api, 3, 'POST', '/api/langchain', '10.0.1.2', {});
    expect(compat[2].status).toBe(429);
    expect(compat[2].body.error.details.limit_type).toBe('story_generation');
  });

  it('limits the list endpoints per client, 4xx answers included', async () => {
    const res = await burst(api, 4, 'GET', '/api/stories/424242', '10.0.2.1');
    expect(res.map((r) => r.status)).toEqual([404, 404, 404, 429]);
    expect(res[3].body.error.details).toMatchObject({ limit: 3, limit_type: 'list_endpoints' });
  });

  it('limits each client overall, docs and unknown routes included', async () => {
    const res = await burst(api, 9, 'GET', '/no/such/route', '10.0.3.1');
    expect(res.slice(0, 8).every((r) => r.status === 404)).toBe(true);
    expect(res[8].status).toBe(429);
    expect(res[8].body.error.details).toMatchObject({ limit: 8, limit_type: 'per_ip' });
    expect((await http(api.baseUrl, 'GET', '/api/docs', undefined, from('10.0.3.1'))).status).toBe(
      429,
    );
  });

  it('counts the socket address when no trusted proxy says otherwise', async () => {
    const mine = await http(api.baseUrl, 'GET', '/api/provider');
    expect(mine.status).toBe(200);
    expect(mine.headers.get('x-ratelimit-remaining')).toBe('7');
  });
});

describe('rate limiting: server-wide budget and status code', () => {
  let api: ApiOnly;
  beforeAll(async () => {
    api = await startApiOnly({
      RATE_LIMITING_ENABLED: 'true',
      RATE_LIMIT_GLOBAL_SERVER: '5',
      RATE_LIMIT_RETURN_STATUS_CODE: '503',
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses every client once all of them together used the global budget, with the configured status', async () => {
    const statuses = [];
    for (let i = 1; i <= 6; i++)
      statuses.push(
        (await http(api.baseUrl, 'GET', '/api/provider', undefined, from(`10.1.0.${i}`))).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 503]);
    const refused = await http(api.baseUrl, 'GET', '/api/provider', undefined, from('10.1.0.99'));
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({
      type: 'RateLimitExceeded',
      details: { limit: 5, limit_type: 'global' },
    });
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('rate limiting disabled', () => {
  let api: ApiOnly;
  beforeAll(async () => {
    api = await startApiOnly({
      RATE_LIMITING_ENABLED: 'false',
      RATE_LIMIT_PER_IP: '1',
      RATE_LIMIT_HEALTH_STATUS: '1',
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('never answers 429 and sends no rate-limit headers', async () => {
    const res = await burst(api, 15, 'GET', '/health', '10.2.0.1');
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect(res[14].headers.get('x-ratelimit-limit')).toBeNull();
  });
});

describe('rate limiting behind TRUST_PROXY=false', () => {
  let api: ApiOnly;
  beforeAll(async () => {
    api = await startApiOnly({
      RATE_LIMITING_ENABLED: 'true',
      RATE_LIMIT_PER_IP: '2',
      TRUST_PROXY: 'false',
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('ignores X-Forwarded-For: every request counts against the socket address', async () => {
    const statuses = [];
    for (const ip of ['10.1.0.1', '10.1.0.2', '10.1.0.3'])
      statuses.push(
        (await http(api.baseUrl, 'GET', '/api/runs?limit=1', undefined, from(ip))).status,
      );
    expect(statuses.slice(0, 2).every((s) => s !== 429)).toBe(true);
    expect(statuses[2]).toBe(429);
  });
});
