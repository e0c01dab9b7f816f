import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../api/http/security-headers';
import { type ApiOnly, captureLogger, startApiOnly } from '../support/api-only';
import { http } from '../support/platform';

/**
 * What test/system.spec.ts and test/rate-limit.spec.ts do not cover yet: limits under a
 * concurrent burst (not one request after another), key guessing throttled like anything
 * else, size limits and CORS with keys configured, and the security headers on every kind of
 * response (web app, MCP, refusals).
 */

const KEY = 'limits-user-key-0123456789';
const asUser = { 'x-api-key': KEY };
const from = (ip: string, extra: Record<string, string> = {}) => ({
  'x-forwarded-for': ip,
  ...extra,
});

function expectSecurityHeaders(h: Headers, where: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    expect({ where, name, value: h.get(name) }).toEqual({ where, name, value });
  }
}

describe('limits and headers with API keys configured', () => {
  let api: ApiOnly;
  beforeAll(async () => {
    api = await startApiOnly(
      {
        API_KEYS: KEY,
        RATE_LIMITING_ENABLED: 'true',
        RATE_LIMIT_GLOBAL_SERVER: '100000',
        RATE_LIMIT_PER_IP: '10',
        RATE_LIMIT_STORY_GENERATION: '3',
        RATE_LIMIT_LIST_ENDPOINTS: '1000',
        RATE_LIMIT_HEALTH_STATUS: '1000',
        MAX_REQUEST_SIZE: '4096',
        MAX_UPLOAD_BYTES: '2048',
        CORS_ORIGINS: 'https://app.example.com',
      },
      { logger: captureLogger('warn').logger }, // refusals are expected here: keep them out of the output
    );
  });
  afterAll(async () => {
    await api?.close();
  });

  it('a concurrent burst of 40 gets exactly the per-client budget of 10, the rest 429', async () => {
    const res = await Promise.all(
      Array.from({ length: 40 }, () =>
        http(api.baseUrl, 'GET', '/api/provider', undefined, from('10.9.0.1', asUser)),
      ),
    );
    const statuses = res.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    for (const r of res.filter((x) => x.status === 429)) {
      expect(r.body.error).toMatchObject({
        type: 'RateLimitExceeded',
        details: { limit_type: 'per_ip', limit: 10 },
      });
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // Another client is unaffected.
    expect(
      (await http(api.baseUrl, 'GET', '/api/provider', undefined, from('10.9.0.2', asUser))).status,
    ).toBe(200);
  });

  it('a concurrent burst of story generations gets exactly its class budget (3)', async () => {
    const body = { primaryCharacter: '', secondaryCharacter: 'B', framework: 'langchain' }; // invalid: nothing starts
    const res = await Promise.all(
      Array.from({ length: 8 }, () =>
        http(api.baseUrl, 'POST', '/api/stories', body, from('10.9.1.1', asUser)),
      ),
    );
    const statuses = res.map((r) => r.status).sort();
    expect(statuses).toEqual([422, 422, 422, 429, 429, 429, 429, 429]);
  });

  it('key guessing is rate limited like anything else: 10 guesses answered 401, then 429', async () => {
    const res = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        http(
          api.baseUrl,
          'GET',
          '/api/stories',
          undefined,
          from('10.9.2.1', { 'x-api-key': `guess-${i}` }),
        ),
      ),
    );
    const statuses = res.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('JSON over MAX_REQUEST_SIZE is 413 for an authenticated caller, and refused before parsing for anyone else', async () => {
    const big = {
      primaryCharacter: 'A'.repeat(5000),
      secondaryCharacter: 'B',
      framework: 'langchain',
    };
    const ok = await http(api.baseUrl, 'POST', '/api/stories', big, from('10.9.3.1', asUser));
    expect(ok.status).toBe(413);
    expect(ok.body.error).toMatchObject({ type: 'PayloadTooLarge', code: 'PAYLOAD_TOO_LARGE' });
    const anon = await http(api.baseUrl, 'POST', '/api/stories', big, from('10.9.3.2'));
    expect(anon.status).toBe(401); // the key is checked first: an anonymous body is never read
    const form = await fetch(`${api.baseUrl}/api/stories`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...from('10.9.3.3', asUser) },
      body: `primaryCharacter=${'A'.repeat(5000)}`,
    });
    // JSON routes do not parse forms at all (issue 19): refused by media type, body unread.
    expect(form.status).toBe(415);
    const mcp = await http(
      api.baseUrl,
      'POST',
      '/mcp',
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(5000) } },
      from('10.9.3.4', asUser),
    );
    expect(mcp.status).toBe(413);
  });

  it('an upload over MAX_UPLOAD_BYTES is 413 with the limit in the message', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(2049).fill(0x61)]), 'big.txt');
    const res = await fetch(`${api.baseUrl}/api/context/upload`, {
      method: 'POST',
      body: form,
      headers: from('10.9.4.1', asUser),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { type: string }; detail: string };
    expect(body.error.type).toBe('FileTooLarge');
    expect(body.detail).toMatch(/Maximum size is/);
    expectSecurityHeaders(res.headers, 'upload 413');
  });

  it('CORS: a configured origin may read refusals (401) and send X-API-Key; others get no CORS headers', async () => {
    const allowed = await http(
      api.baseUrl,
      'GET',
      '/api/stories',
      undefined,
      from('10.9.5.1', { origin: 'https://app.example.com' }),
    );
    expect(allowed.status).toBe(401);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('Retry-After');
    const refused = await http(
      api.baseUrl,
      'GET',
      '/api/stories',
      undefined,
      from('10.9.5.2', { origin: 'https://evil.example', ...asUser }),
    );
    expect(refused.status).toBe(200);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await http(api.baseUrl, 'OPTIONS', '/mcp', undefined, {
      ...from('10.9.5.3'),
      origin: 'https://app.example.com',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,mcp-protocol-version',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('security headers on every kind of response: web app, docs, MCP, 401, 404, 405, 429', async () => {
    const checks: [string, string, string, Record<string, string>][] = [
      ['web app', 'GET', '/ui/', {}],
      ['web app deep link', 'GET', '/ui/runs/story-1', {}],
      ['web app missing asset', 'GET', '/ui/assets/missing.js', {}],
      ['landing', 'GET', '/', {}],
      ['swagger', 'GET', '/api/docs', {}],
      ['openapi', 'GET', '/openapi.json', {}],
      ['401', 'GET', '/api/stories', {}],
      ['404', 'GET', '/api/no-such-route', asUser],
      ['mcp 405', 'GET', '/mcp', asUser],
      ['metrics', 'GET', '/metrics', asUser],
    ];
    for (const [where, method, path, headers] of checks) {
      const res = await http(
        api.baseUrl,
        method,
        path,
        undefined,
        from(`10.9.6.${checks.findIndex((c) => c[0] === where) + 1}`, headers),
      );
      expectSecurityHeaders(res.headers, `${where} (${res.status})`);
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
    const ui = await http(api.baseUrl, 'GET', '/ui/', undefined, from('10.9.6.50'));
    if (ui.status === 200) {
      // The built web app must run under the policy: no inline script, nothing from a CDN.
      expect(ui.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(ui.body).not.toMatch(/<script>(?!\s*<\/script>)/);
      expect(ui.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
    const limited = await Promise.all(
      Array.from({ length: 12 }, () =>
        http(api.baseUrl, 'GET', '/health', undefined, from('10.9.6.99')),
      ),
    );
    const tooMany = limited.find((r) => r.status === 429);
    expect(tooMany).toBeDefined();
    expectSecurityHeaders(tooMany!.headers, '429');
  });
});
