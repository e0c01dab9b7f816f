import fs from 'node:fs';
import nodeHttp from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../common/logger';
import { type ApiOnly, startApiOnly } from './support/api-only';
import { http } from './support/platform';

/** Parsed JSON, loosely typed like the `http` helper's. */
type Body = Awaited<ReturnType<typeof http>>['body'];

/** GET with the path sent exactly as written (fetch would resolve `..` and re-encode). */
function rawGet(baseUrl: string, rawPath: string): Promise<{ status: number; body: Body }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = nodeHttp.request({ host: hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const LEVELS = ['info', 'debug', 'warn', 'info', 'error'];

/** 40 pino lines (levels cycling through LEVELS), a blank line, and 2 lines in the original's text format. */
function knownLog(): string {
  const lines: string[] = [];
  for (let i = 1; i <= 40; i++) {
    lines.push(
      JSON.stringify({
        level: LEVELS[(i - 1) % LEVELS.length],
        time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        name: i % 2 ? 'api' : 'worker',
        requestId: `req-${i}`,
        msg: i === 33 ? 'Needle in the haystack' : `event number ${i}`,
      }),
    );
  }
  lines.push('');
  lines.push(
    '[2025-07-25T10:00:00.000Z] [WARNING] [story_routes] Legacy slow story | duration_ms=9001',
  );
  lines.push('[2025-07-25T10:00:01.000Z] [CRITICAL] [main] Legacy crash | code=E42');
  return lines.join('\n') + '\n';
}

describe("log API (the original's /logs routes)", () => {
  let api: ApiOnly;
  let root: string;
  let dir: string;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'qf-logs-'));
    dir = path.join(root, 'logs');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'app.log'), knownLog());
    fs.writeFileSync(path.join(dir, 'app.2026-01-01-00.1.log'), '{"level":"info","msg":"older"}\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a log\n');
    fs.writeFileSync(path.join(root, 'secret.log'), '{"level":"info","msg":"secret"}\n');
    fs.symlinkSync(path.join(root, 'secret.log'), path.join(dir, 'escape.log'));
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(path.join(dir, 'app.2026-01-01-00.1.log'), old, old);
    api = await startApiOnly({ LOG_FILE_PATH: path.join(dir, 'app.log') });
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("GET /logs/ (the original viewer) redirects to the web app's Logs page", async () => {
    for (const p of ['/logs', '/logs/']) {
      const res = await fetch(`${api.baseUrl}${p}`, { redirect: 'manual' });
      expect({ p, status: res.status, location: res.headers.get('location') }).toEqual({
        p,
        status: 302,
        location: '/ui/logs',
      });
    }
    // Its script is gone with it: the page is a part of the web app now.
    expect((await http(api.baseUrl, 'GET', '/logs/viewer.js')).status).toBe(404);
  });

  it("GET /logs/files is a bare array of the *.log* files of the log directory, newest first (the original's shape)", async () => {
    const res = await http(api.baseUrl, 'GET', '/logs/files');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(['app.log', 'app.2026-01-01-00.1.log']);
    // Each path is what /logs/entries/{path} takes.
    const names: string[] = res.body;
    for (const name of names) {
      expect(
        (await http(api.baseUrl, 'GET', `/logs/entries/${encodeURIComponent(name)}`)).status,
      ).toBe(200);
    }
  });

  it('GET /logs/entries/{path} pages newest first with the original response shape', async () => {
    const res = await http(api.baseUrl, 'GET', '/logs/entries/app.log?per_page=5');
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({
      current_page: 1,
      per_page: 5,
      total_entries: 42,
      total_pages: 9,
      has_previous: false,
      has_next: true,
      previous_page: null,
      next_page: 2,
    });
    expect(res.body.filters).toEqual({ level_filter: null, search_term: null });
    expect(res.body.entries.map((e: { event: string }) => e.event)).toEqual([
      'Legacy crash',
      'Legacy slow story',
      'event number 40',
      'event number 39',
      'event number 38',
    ]);
    expect(res.body.entries[0]).toEqual({
      timestamp: '2025-07-25T10:00:01.000Z',
      level: 'critical',
      logger: 'main',
      event: 'Legacy crash',
      code: 'E42',
      line_number: 43,
      raw_line: '[2025-07-25T10:00:01.000Z] [CRITICAL] [main] Legacy crash | code=E42',
    });
    expect(res.body.entries[2]).toMatchObject({
      level: 'error',
      logger: 'worker',
      requestId: 'req-40',
      line_number: 40,
    });

    const last = await http(api.baseUrl, 'GET', '/logs/entries/app.log?per_page=5&page=9');
    expect(last.body.entries.map((e: { requestId: string }) => e.requestId)).toEqual([
      'req-2',
      'req-1',
    ]);
    expect(last.body.pagination).toMatchObject({
      current_page: 9,
      has_next: false,
      next_page: null,
      has_previous: true,
      previous_page: 8,
    });
  });

  it('filters by level (case-insensitive, warn = warning) and by text', async () => {
    const errors = await http(api.baseUrl, 'GET', '/logs/entries/app.log?level=ERROR&per_page=100');
    expect(errors.status).toBe(200);
    expect(errors.body.pagination.total_entries).toBe(8);
    expect(errors.body.entries.every((e: { level: string }) => e.level === 'error')).toBe(true);
    expect(errors.body.filters).toEqual({ level_filter: 'ERROR', search_term: null });

    const warnings = await http(
      api.baseUrl,
      'GET',
      '/logs/entries/app.log?level=warning&per_page=100',
    );
    expect(warnings.body.pagination.total_entries).toBe(9); // 8 pino "warn" + 1 legacy WARNING
    const warn = await http(api.baseUrl, 'GET', '/logs/entries/app.log?level=warn&per_page=100');
    expect(warn.body.pagination.total_entries).toBe(9);

    const needle = await http(api.baseUrl, 'GET', '/logs/entries/app.log?search=NEEDLE');
    expect(needle.body.entries.map((e: { requestId: string }) => e.requestId)).toEqual(['req-33']);
    expect(needle.body.filters.search_term).toBe('NEEDLE');

    const both = await http(
      api.baseUrl,
      'GET',
      '/logs/entries/app.log?level=info&search=worker&per_page=500',
    );
    expect(both.body.entries.length).toBe(8);
    expect(
      both.body.entries.every(
        (e: { level: string; logger: string }) => e.level === 'info' && e.logger === 'worker',
      ),
    ).toBe(true);

    const none = await http(api.baseUrl, 'GET', '/logs/entries/app.log?search=nothing-like-this');
    expect(none.body).toMatchObject({
      entries: [],
      pagination: { total_entries: 0, total_pages: 0 },
    });
  });

  it.each([
    ['/logs/entries/app.log?per_page=0', 'per_page'],
    ['/logs/entries/app.log?per_page=501', 'per_page'],
    ['/logs/entries/app.log?page=0', 'page'],
    ['/logs/entries/app.log?page=abc', 'page'],
    ['/logs/entries/app.log?page=1.5', 'page'],
  ])('bad paging %s → 422 naming %s', async (url, field) => {
    const res = await http(api.baseUrl, 'GET', url);
    expect(res.status).toBe(422);
    expect(res.body.error.type).toBe('ValidationError');
    expect(res.body.error.details[0].field).toBe(`query -> ${field}`);
  });

  it.each([
    '/logs/entries/../secret.log',
    '/logs/entries/..%2fsecret.log',
    '/logs/entries/..%2Fsecret.log',
    '/logs/entries/%2e%2e/secret.log',
    '/logs/entries/%2e%2e%2fsecret.log',
    '/logs/entries/sub/..%2f..%2fsecret.log',
    '/logs/entries/..%5c..%5csecret.log',
    '/logs/entries//etc/passwd',
    '/logs/entries/%2Fetc%2Fpasswd',
    `/logs/entries/${encodeURIComponent(path.join(os.tmpdir(), 'x.log'))}`,
    '/logs/entries/escape.log',
    '/logs/entries/notes.txt',
  ])('refuses %s with 403 Access denied', async (rawPath) => {
    const res = await rawGet(api.baseUrl, rawPath);
    expect({ rawPath, status: res.status }).toEqual({ rawPath, status: 403 });
    expect(res.body).toMatchObject({
      error: { type: 'AccessDenied', message: 'Access denied' },
      detail: 'Access denied',
    });
  });

  it('refuses a NUL byte in the path before the log code sees it (400, as on every route)', async () => {
    const res = await rawGet(api.baseUrl, '/logs/entries/app.log%00.txt');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { type: 'InvalidCharacters' } });
  });

  it('is 404 for a missing log file (a double-encoded name is just a name)', async () => {
    for (const p of ['/logs/entries/missing.log', '/logs/entries/%252e%252e%252fsecret.log']) {
      const res = await rawGet(api.baseUrl, p);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
      expect(res.body.detail).toBe('Log file not found');
    }
  });
});

describe('log API with file logging off', () => {
  let api: ApiOnly;
  beforeAll(async () => {
    api = await startApiOnly({ LOG_FILE_PATH: '' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists no files and finds none', async () => {
    expect((await http(api.baseUrl, 'GET', '/logs/files')).body).toEqual([]);
    expect((await http(api.baseUrl, 'GET', '/logs/entries/app.log')).status).toBe(404);
  });
});

describe('the platform logger writes what the viewer reads', () => {
  let api: ApiOnly;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qf-logs-e2e-'));
    const file = path.join(dir, 'app.log');
    const logger = createLogger('api', {
      level: 'info',
      pretty: false,
      filePath: file,
      rotationHours: 1,
      retentionDays: 1,
    });
    api = await startApiOnly({ LOG_FILE_PATH: file }, { logger });
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a request shows up in the rotated JSON log file with its request id and correlation id', async () => {
    const guid = 'feedface-0000-4000-8000-00000000abcd';
    const res = await http(api.baseUrl, 'GET', '/api/provider', undefined, {
      'x-transaction-guid': guid,
    });
    const requestId = res.headers.get('x-request-id')!;
    let found: Body;
    const deadline = Date.now() + 15_000;
    while (!found && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      const files = await http(api.baseUrl, 'GET', '/logs/files');
      const name: string | undefined = files.body[0];
      if (!name) continue;
      const entries = await http(
        api.baseUrl,
        'GET',
        `/logs/entries/${encodeURIComponent(name)}?search=${requestId}`,
      );
      found = entries.body.entries?.[0];
    }
    expect(found).toMatchObject({
      level: 'info',
      logger: 'api',
      event: 'GET /api/provider 200 ' + String(found?.responseTime) + 'ms',
      requestId,
      correlationId: guid,
      req: { method: 'GET', url: '/api/provider' },
      res: { statusCode: 200 },
    });
    expect(found.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});
