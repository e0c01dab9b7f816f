import type { Request, Response } from 'express';
import type { Logger } from '../../../common/logger';
import { RouteTable } from '../routes/route-table';
import { apiKeyAuth, type QuillflowAuth, WWW_AUTHENTICATE } from './auth.middleware';

/** The few routes these cases call (the app's own table is built from its controllers). */
const routes = new RouteTable([
  { methods: ['GET'], path: '/health', access: 'public', source: 'test' },
  { methods: ['GET'], path: '/api/docs{/*asset}', access: 'public', source: 'test' },
  { methods: ['GET', 'POST'], path: '/api/stories', access: 'user', source: 'test' },
  { methods: ['DELETE'], path: '/api/stories', access: 'admin', source: 'test' },
]);

/** Keeps what was logged, as pino would see it (object and message). */
function captureLogger() {
  let lines: Record<string, unknown>[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) =>
    lines.push({ level, ...obj, msg });
  const logger = {
    warn: at('warn'),
    info: at('info'),
    error: at('error'),
    debug: at('debug'),
  } as unknown as Logger;
  return { logger, lines: () => lines, clear: () => (lines = []) };
}

interface Outcome {
  passed: boolean;
  status?: number;
  headers: Record<string, string>;
  body?: { error: { type: string; message: string; code: string }; detail: string };
  auth?: QuillflowAuth;
}

function run(
  mw: ReturnType<typeof apiKeyAuth>,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Outcome {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const req = {
    method,
    path,
    header: (n: string) => lower[n.toLowerCase()],
  } as unknown as Request & { auth?: QuillflowAuth };
  const out: Outcome = { passed: false, headers: {} };
  const res = {
    setHeader: (n: string, v: string) => (out.headers[n] = v),
    status(s: number) {
      out.status = s;
      return this;
    },
    json: (b: Outcome['body']) => (out.body = b),
  } as unknown as Response;
  mw(req, res, () => (out.passed = true));
  out.auth = req.auth;
  return out;
}

const KEYS = { API_KEYS: ['user-key-0123456789'], ADMIN_API_KEYS: ['admin-key-0123456789'] };

describe('apiKeyAuth middleware', () => {
  it('lets everything through as admin when no key is configured', () => {
    const mw = apiKeyAuth({ API_KEYS: [], ADMIN_API_KEYS: [] }, captureLogger().logger, routes);
    const r = run(mw, 'DELETE', '/api/stories');
    expect(r.passed).toBe(true);
    expect(r.auth?.scopes).toEqual(['admin']);
  });

  describe('with keys', () => {
    const log = captureLogger();
    const mw = apiKeyAuth(KEYS, log.logger, routes);

    it('public routes need no key', () => {
      expect(run(mw, 'GET', '/health').passed).toBe(true);
      expect(run(mw, 'GET', '/api/docs').passed).toBe(true);
    });

    it('no key: 401 with WWW-Authenticate and the error envelope', () => {
      const r = run(mw, 'GET', '/api/stories');
      expect(r.passed).toBe(false);
      expect(r.status).toBe(401);
      expect(r.headers['WWW-Authenticate']).toBe(WWW_AUTHENTICATE);
      expect(r.body).toEqual({
        error: {
          type: 'Unauthorized',
          code: 'UNAUTHORIZED',
          message: expect.stringMatching(/^Missing API key/),
        },
        detail: expect.stringMatching(/^Missing API key/),
      });
    });

    it('a wrong key: 401 Invalid API key', () => {
      const r = run(mw, 'GET', '/api/stories', { 'x-api-key': 'nope' });
      expect(r.status).toBe(401);
      expect(r.body?.error.message).toBe('Invalid API key');
    });

    it('a user key reads and generates, by header or bearer, but gets 403 for admin routes', () => {
      expect(run(mw, 'GET', '/api/stories', { 'X-API-Key': 'user-key-0123456789' }).passed).toBe(
        true,
      );
      const bearer = run(mw, 'POST', '/api/stories', {
        authorization: 'Bearer user-key-0123456789',
      });
      expect(bearer.passed).toBe(true);
      expect(bearer.auth).toEqual({ token: '', clientId: 'api-key:user', scopes: ['user'] });
      const del = run(mw, 'DELETE', '/api/stories', { 'x-api-key': 'user-key-0123456789' });
      expect(del.status).toBe(403);
      expect(del.headers['WWW-Authenticate']).toBeUndefined();
      expect(del.body?.error).toMatchObject({
        type: 'Forbidden',
        code: 'FORBIDDEN',
        message: expect.stringContaining('admin API key'),
      });
    });

    it('an admin key may do everything', () => {
      for (const [m, p] of [
        ['DELETE', '/api/stories'],
        ['POST', '/api/runs/x/terminate'],
        ['GET', '/metrics'],
      ]) {
        expect(run(mw, m, p, { authorization: 'Bearer admin-key-0123456789' }).passed).toBe(true);
      }
    });

    it('logs refusals without the key', () => {
      log.clear();
      run(mw, 'DELETE', '/api/stories', { 'x-api-key': 'user-key-0123456789' });
      run(mw, 'GET', '/api/stories', { authorization: 'Bearer guessed-key-xyz' });
      const text = JSON.stringify(log.lines());
      expect(log.lines()).toHaveLength(2);
      expect(text).toContain('request refused');
      expect(text).not.toContain('user-key-0123456789');
      expect(text).not.toContain('guessed-key-xyz');
    });
  });

  it('warns at startup about short keys, without naming them', () => {
    const log = captureLogger();
    apiKeyAuth({ API_KEYS: ['short'], ADMIN_API_KEYS: [] }, log.logger, routes);
    expect(log.lines()).toEqual([expect.objectContaining({ level: 'warn', keys: 1 })]);
    expect(JSON.stringify(log.lines())).not.toContain('short"');
  });
});
