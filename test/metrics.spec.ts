import { randomUUID } from 'node:crypto';
import { captureLogger, startApiOnly } from './support/api-only';
import { http, startTestPlatform, type TestPlatform } from './support/platform';

/** A sample line's value, labels matched in any order; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries(
      [...m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('GET /metrics (Prometheus, real HTTP)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('serves Prometheus text with request counts and latency by route pattern, and process metrics', async () => {
    const id = randomUUID();
    expect((await http(p.baseUrl, 'GET', '/health')).status).toBe(200);
    expect((await http(p.baseUrl, 'GET', '/health')).status).toBe(200);
    expect((await http(p.baseUrl, 'GET', `/api/runs/story-${id}`)).status).toBe(404);
    expect((await http(p.baseUrl, 'GET', `/no/such/route/${id}`)).status).toBe(404);

    const res = await fetch(`${p.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();

    expect(text).toContain('# TYPE quillflow_http_requests_total counter');
    expect(
      sample(text, 'quillflow_http_requests_total', {
        method: 'GET',
        route: '/health',
        status: '200',
        service: 'api',
      }),
    ).toBe(2);
    // The route pattern, not the path: IDs never become label values.
    expect(
      sample(text, 'quillflow_http_requests_total', {
        method: 'GET',
        route: '/api/runs/:workflowId',
        status: '404',
      }),
    ).toBe(1);
    expect(
      sample(text, 'quillflow_http_requests_total', {
        method: 'GET',
        route: 'unmatched',
        status: '404',
      }),
    ).toBe(1);
    expect(text).not.toContain(id);
    expect(
      sample(text, 'quillflow_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/health',
        status: '200',
      }),
    ).toBe(2);
    expect(
      sample(text, 'quillflow_http_request_duration_seconds_bucket', {
        route: '/health',
        le: '+Inf',
      }),
    ).toBe(2);
    // Default Node process metrics.
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="api"\} /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="api"\} /m);

    // The scrape itself is counted on the next one.
    const again = await (await fetch(`${p.baseUrl}/metrics`)).text();
    expect(
      sample(again, 'quillflow_http_requests_total', {
        method: 'GET',
        route: '/metrics',
        status: '200',
      }),
    ).toBe(1);
  });

  it('is listed in the OpenAPI document', async () => {
    const doc = await http(p.baseUrl, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toContain('/metrics');
  });

  it('counts answers given before routing too: rate-limited requests are 429s on their route', async () => {
    const api = await startApiOnly(
      {
        RATE_LIMITING_ENABLED: 'true',
        RATE_LIMIT_LIST_ENDPOINTS: '2',
        RATE_LIMIT_HEALTH_STATUS: '1000',
      },
      { logger: captureLogger().logger },
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await http(api.baseUrl, 'GET', '/api/stories')).status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      const text = await (await fetch(`${api.baseUrl}/metrics`)).text();
      expect(sample(text, 'quillflow_http_requests_total', { method: 'GET', status: '429' })).toBe(
        statuses.filter((s) => s === 429).length,
      );
      expect(
        sample(text, 'quillflow_http_requests_total', {
          method: 'GET',
          status: '200',
          route: '/api/stories',
        }),
      ).toBe(2);
    } finally {
      await api.close();
    }
  });
});
