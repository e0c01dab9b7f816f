import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { CONTENT_SECURITY_POLICY } from '../api/http/security-headers';
import { createTestDatabase } from './support/test-db';
import { type ApiOnly, captureLogger, startApiOnly } from './support/api-only';
import { http, testDatabaseKind } from './support/platform';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectCorrelationHeaders(h: Headers): void {
  expect(h.get('x-request-id')).toMatch(UUID);
  expect(h.get('x-transaction-guid')).toMatch(UUID);
}

function expectSecurityHeaders(h: Headers): void {
  expect(h.get('x-content-type-options')).toBe('nosniff');
  expect(h.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(h.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(h.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('system routes (real HTTP, real DB, real Temporal)', () => {
  let api: ApiOnly;
  beforeAll(async () => {
    api = await startApiOnly({
      APP_VERSION: '9.9.9-test',
      TEMPORAL_UI_URL: 'http://temporal.example:8233',
      CORS_ORIGINS: 'http://localhost:3000,https://app.example.com',
      MAX_REQUEST_SIZE: '2048',
      PUBLIC_URL: 'https://quill.example.com/',
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('GET / is an HTML landing page with the version, the links and the story endpoints', async () => {
    const res = await http(api.baseUrl, 'GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = res.body as string;
    expect(html).toContain('Version 9.9.9-test');
    for (const href of [
      '/api/docs',
      '/api/redoc',
      '/health',
      '/api/provider',
      '/ui/',
      'http://temporal.example:8233/',
    ]) {
      expect(html).toContain(`href="${href}"`);
    }
    for (const path of ['/api/semantic-kernel', '/api/langchain', '/api/langgraph', '/api/stories'])
      expect(html).toContain(`POST ${path}`);
    expectCorrelationHeaders(res.headers);
    expectSecurityHeaders(res.headers);
  });

  it('GET /favicon.ico is an inline SVG star', async () => {
    const res = await http(api.baseUrl, 'GET', '/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(res.body).toMatch(/^<svg[^>]*>.*<polygon/);
  });

  it('GET /health keeps the original fields', async () => {
    const res = await http(api.baseUrl, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'healthy',
      timestamp: expect.any(Number),
      version: '9.9.9-test',
      request_id: res.headers.get('x-request-id'),
      environment: 'production',
      uptime_seconds: expect.any(Number),
    });
  });

  it('GET /health/live and /health/ready report a live, ready API', async () => {
    const live = await http(api.baseUrl, 'GET', '/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'alive', uptime_seconds: expect.any(Number) });
    const ready = await http(api.baseUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: { database: 'ok', temporal: 'ok', temporal_setup: 'ok' },
    });
  });

  it('GET /api/provider and /api/mcp-status', async () => {
    const provider = await http(api.baseUrl, 'GET', '/api/provider');
    expect(provider.status).toBe(200);
    expect(provider.body).toMatchObject({
      provider: 'simulator',
      model: 'quillflow-sim-1',
      configured: true,
    });
    const mcp = await http(api.baseUrl, 'GET', '/api/mcp-status');
    expect(mcp.status).toBe(200);
    expect(mcp.body).toMatchObject({
      mcp_available: true,
      transports: ['stdio', 'streamable-http'],
      http_endpoint: '/mcp',
      http_url: 'https://quill.example.com/mcp',
      stdio_command: 'npm run mcp',
    });
  });

  it('serves the OpenAPI document at /openapi.json', async () => {
    const res = await http(api.baseUrl, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info).toMatchObject({
      title: 'Quillflow - Backend API',
      version: '9.9.9-test',
    });
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/health', '/health/ready', '/api/provider', '/logs/files']),
    );
    expect(res.body.paths['/']).toBeUndefined();
  });

  it('Swagger UI at /api/docs loads every script and stylesheet from this server (works offline)', async () => {
    const page = await http(api.baseUrl, 'GET', '/api/docs');
    expect(page.status).toBe(200);
    const html = page.body as string;
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ref).not.toMatch(/^(https?:)?\/\//);
      const res = await fetch(new URL(ref, `${api.baseUrl}/api/docs/`));
      expect({ ref, status: res.status }).toEqual({ ref, status: 200 });
      await res.arrayBuffer();
    }
    expect(html).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script: it must run under script-src 'self'
  });

  it('ReDoc at /api/redoc is served from node_modules with no CDN', async () => {
    const page = await http(api.baseUrl, 'GET', '/api/redoc');
    expect(page.status).toBe(200);
    expect(page.body).toContain('spec-url="/openapi.json"');
    expect(page.body).toContain('<script src="/api/redoc/redoc.standalone.js"></script>');
    expect(page.body).not.toMatch(/https?:\/\//);
    const bundle = await fetch(`${api.baseUrl}/api/redoc/redoc.standalone.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });

  it('unknown routes get 404 in the error envelope with correlation and security headers', async () => {
    const res = await http(api.baseUrl, 'GET', '/no/such/route');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      error: { type: 'NotFound', code: 'NOT_FOUND' },
      detail: expect.any(String),
    });
    expectCorrelationHeaders(res.headers);
    expectSecurityHeaders(res.headers);
  });

  it('an oversized JSON body gets 413 in the error envelope', async () => {
    const body = {
      primaryCharacter: 'A'.repeat(4000),
      secondaryCharacter: 'B',
      framework: 'langchain',
    };
    const res = await http(api.baseUrl, 'POST', '/api/stories', body);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({
      error: { type: 'PayloadTooLarge', code: 'PAYLOAD_TOO_LARGE' },
    });
    expectCorrelationHeaders(res.headers);
    expectSecurityHeaders(res.headers);
  });

  it('NUL characters in paths and bodies get 400 in the error envelope on every database', async () => {
    const path = await http(api.baseUrl, 'GET', '/api/batches/abc%00def');
    expect(path.status).toBe(400);
    expect(path.body).toMatchObject({ error: { type: 'InvalidCharacters' } });
    const body = await http(api.baseUrl, 'POST', '/api/chat/langchain', {
      message: 'hi\u0000there',
    });
    expect(body.status).toBe(400);
    expect(body.body.error.message).toMatch(/NUL/);
  });

  describe('CORS', () => {
    it('reflects a configured origin, with credentials and exposed correlation headers', async () => {
      const res = await http(api.baseUrl, 'GET', '/api/provider', undefined, {
        origin: 'https://app.example.com',
      });
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-expose-headers')).toContain('X-Request-ID');
      expect(res.headers.get('vary')).toMatch(/origin/i);
    });

    it('answers a preflight from a configured origin with a one-hour max-age', async () => {
      const res = await http(api.baseUrl, 'OPTIONS', '/api/stories', undefined, {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,idempotency-key',
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')).toBe('content-type,idempotency-key');
      expect(res.headers.get('access-control-max-age')).toBe('3600');
    });

    it('gives a refused origin no CORS headers at all', async () => {
      const res = await http(api.baseUrl, 'GET', '/api/provider', undefined, {
        origin: 'https://evil.example',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      const preflight = await http(api.baseUrl, 'OPTIONS', '/api/stories', undefined, {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
    });
  });
});

describe('readiness with a dependency down', () => {
  it('is 503 naming the database when its database is gone, while Temporal is fine', async () => {
    const db = await createTestDatabase(testDatabaseKind());
    await db.drop();
    const api = await startApiOnly({}, { prisma: db.prisma });
    try {
      const res = await http(api.baseUrl, 'GET', '/health/ready');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        status: 'not_ready',
        checks: { database: 'failed', temporal: 'ok', temporal_setup: 'ok' },
      });
      // Liveness does not depend on either.
      expect((await http(api.baseUrl, 'GET', '/health/live')).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('is 503 naming Temporal when its frontend does not answer', async () => {
    // No client-side retries: the point is the API's answer, not the SDK's backoff.
    const connection = Connection.lazy({
      address: `127.0.0.1:${await freePort()}`,
      connectTimeout: 1000,
      interceptors: [],
    });
    const api = await startApiOnly(
      {},
      { temporal: new Client({ connection, namespace: 'default' }) },
    );
    try {
      const res = await http(api.baseUrl, 'GET', '/health/ready');
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('not_ready');
      expect(res.body.checks.database).toBe('ok');
      expect(['failed', 'timeout']).toContain(res.body.checks.temporal);
    } finally {
      await api.close();
      await connection.close();
    }
  });
});

describe('request logging', () => {
  it('every log line written during a request carries its requestId and correlationId', async () => {
    const capture = captureLogger('debug');
    const api = await startApiOnly(
      { RATE_LIMITING_ENABLED: 'true', RATE_LIMIT_LIST_ENDPOINTS: '1' },
      { logger: capture.logger },
    );
    try {
      capture.clear(); // startup lines belong to no request
      const guid = 'c0ffee00-1111-4222-8333-444455556666';
      const responses = [
        await http(api.baseUrl, 'GET', '/health', undefined, { 'x-transaction-guid': guid }),
        await http(api.baseUrl, 'GET', '/no/such/route'),
        await http(api.baseUrl, 'POST', '/api/stories', { primaryCharacter: '' }),
        await http(api.baseUrl, 'GET', '/api/stories/999999'),
        await http(api.baseUrl, 'GET', '/api/stories/999998'), // over the list limit of 1: 429
      ];
      expect(responses.map((r) => r.status)).toEqual([200, 404, 422, 404, 429]);
      await new Promise((r) => setTimeout(r, 100));
      const lines = capture.lines();
      expect(lines.length).toBeGreaterThanOrEqual(responses.length);
      const byRequest = new Map(
        responses.map((r) => [r.headers.get('x-request-id'), r.headers.get('x-transaction-guid')]),
      );
      for (const line of lines) {
        expect(line).toEqual(
          expect.objectContaining({
            requestId: expect.any(String),
            correlationId: expect.any(String),
          }),
        );
        expect(byRequest.get(line.requestId as string)).toBe(line.correlationId);
      }
      // Each request left at least one line, the caller's GUID included.
      for (const id of byRequest.keys()) expect(lines.some((l) => l.requestId === id)).toBe(true);
      expect(lines.some((l) => l.correlationId === guid)).toBe(true);
      expect(lines.some((l) => l.msg === 'rate limit exceeded')).toBe(true);
      // Bodies never reach the log.
      expect(JSON.stringify(lines)).not.toContain('primaryCharacter');
    } finally {
      await api.close();
    }
  });
});
