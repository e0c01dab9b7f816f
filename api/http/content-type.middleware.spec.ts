import { ApiError } from './api-error';
import { jsonBodyErrors, parseContentType, requestBodyType } from './content-type.middleware';

function run(req: { method: string; path: string; headers: Record<string, string> }): unknown {
  let passed: unknown = 'not called';
  requestBodyType(req as never, {} as never, (err?: unknown) => {
    passed = err;
  });
  return passed;
}
const status = (e: unknown) => (e instanceof ApiError ? e.getStatus() : e);

describe('parseContentType', () => {
  it('reads the type and charset, lower case', () => {
    expect(parseContentType('Application/JSON; Charset="UTF-8"')).toEqual({
      type: 'application/json',
      charset: 'utf-8',
    });
    expect(parseContentType('multipart/form-data; boundary=x')).toEqual({
      type: 'multipart/form-data',
    });
    expect(parseContentType(undefined)).toEqual({ type: '' });
  });
});

describe('requestBodyType', () => {
  const body = { 'content-length': '7' };
  it('lets JSON in UTF-8, bodiless requests, GETs and /mcp through', () => {
    expect(
      run({
        method: 'POST',
        path: '/api/stories',
        headers: { ...body, 'content-type': 'application/json' },
      }),
    ).toBeUndefined();
    expect(
      run({
        method: 'POST',
        path: '/api/stories',
        headers: { ...body, 'content-type': 'application/json; charset=utf-8' },
      }),
    ).toBeUndefined();
    expect(run({ method: 'POST', path: '/api/runs/x/cancel', headers: {} })).toBeUndefined();
    expect(
      run({ method: 'POST', path: '/api/runs/x/cancel', headers: { 'content-length': '0' } }),
    ).toBeUndefined();
    expect(
      run({
        method: 'GET',
        path: '/api/stories',
        headers: { ...body, 'content-type': 'text/plain' },
      }),
    ).toBeUndefined();
    expect(
      run({ method: 'POST', path: '/mcp', headers: { ...body, 'content-type': 'text/plain' } }),
    ).toBeUndefined();
    expect(
      run({
        method: 'POST',
        path: '/api/context/upload',
        headers: { ...body, 'content-type': 'multipart/form-data; boundary=x' },
      }),
    ).toBeUndefined();
  });
  it.each([
    ['POST', '/api/stories', 'application/x-www-form-urlencoded'],
    ['POST', '/api/stories', 'application/json; charset=utf-16'],
    ['PUT', '/api/stories', 'text/xml'],
    ['POST', '/api/context/upload', 'application/json'],
    ['POST', '/API/Context/Upload/', 'application/json'],
  ])('refuses %s %s with %s: 415', (method, path, type) => {
    expect(status(run({ method, path, headers: { ...body, 'content-type': type } }))).toBe(415);
  });
  it('treats a chunked body as a body', () => {
    expect(
      status(
        run({ method: 'POST', path: '/api/stories', headers: { 'transfer-encoding': 'chunked' } }),
      ),
    ).toBe(415);
  });
});

describe('jsonBodyErrors', () => {
  const after = (err: unknown) => {
    let passed: unknown;
    jsonBodyErrors(err, { path: '/api/stories' } as never, {} as never, (e?: unknown) => {
      passed = e;
    });
    return passed;
  };
  it('turns the strict parser refusing valid JSON into "must be a JSON object"', () => {
    const e = after(
      Object.assign(new SyntaxError('Unexpected token'), {
        type: 'entity.parse.failed',
        body: 'null',
      }),
    );
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).message).toBe('Request body must be a JSON object (got null)');
    expect((e as ApiError).getStatus()).toBe(400);
  });
  it('passes malformed JSON and other errors on untouched', () => {
    const malformed = Object.assign(new SyntaxError('x'), {
      type: 'entity.parse.failed',
      body: '{"a":',
    });
    expect(after(malformed)).toBe(malformed);
    const big = Object.assign(new Error('too large'), { type: 'entity.too.large' });
    expect(after(big)).toBe(big);
  });
});
