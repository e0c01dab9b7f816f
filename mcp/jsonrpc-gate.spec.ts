import { ZodError } from 'zod';
import { lineError, notJsonRpc, refusal } from './jsonrpc-gate';

const req = (method: string, params?: unknown) => ({
  jsonrpc: '2.0' as const,
  id: 7,
  method,
  ...(params !== undefined ? { params: params as Record<string, unknown> } : {}),
});

describe('refusal', () => {
  it('lets good requests, notifications and responses through', () => {
    expect(
      refusal(req('tools/call', { name: 'list_runs', arguments: { pageSize: 5 } })),
    ).toBeUndefined();
    expect(refusal(req('tools/call', { name: 'list_runs' }))).toBeUndefined();
    expect(refusal(req('tools/list'))).toBeUndefined();
    expect(refusal({ jsonrpc: '2.0', method: 'notifications/initialized' })).toBeUndefined();
  });
  it.each([
    [
      { name: 'x', arguments: null },
      'arguments must be an object of argument names to values (got null)',
    ],
    [
      { name: 'x', arguments: [1, 2] },
      'arguments must be an object of argument names to values (got an array)',
    ],
    [
      { name: 'x', arguments: 'a' },
      'arguments must be an object of argument names to values (got a string)',
    ],
    [{ name: 7, arguments: {} }, 'name must be the name of a tool (a string)'],
    [
      { name: 'x\u0000', arguments: {} },
      'NUL characters (\\u0000) are not allowed in paths, query parameters or request bodies',
    ],
  ])('answers tools/call with %j: -32602 %s', (params, message) => {
    expect(refusal(req('tools/call', params))).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32602, message },
    });
  });
  it("answers a NUL in a tool's arguments with the isError result of a bad argument", () => {
    expect(
      refusal(req('tools/call', { name: 'x', arguments: { a: ['ok', 'n\u0000ul'] } })),
    ).toMatchObject({
      id: 7,
      result: { isError: true, structuredContent: { error: { type: 'InvalidCharacters' } } },
    });
  });
  it('checks prompts/get the same way', () => {
    expect(refusal(req('prompts/get', { name: 'p', arguments: { a: '\u0000' } }))).toMatchObject({
      error: { code: -32602 },
    });
    expect(refusal(req('prompts/get', { name: 'p', arguments: null }))).toMatchObject({
      error: { code: -32602 },
    });
  });
});

describe('notJsonRpc', () => {
  it('accepts messages and non-empty batches', () => {
    expect(notJsonRpc(req('tools/list'))).toBeUndefined();
    expect(notJsonRpc([req('tools/list'), req('prompts/list')])).toBeUndefined();
  });
  it.each([[{ hello: 1 }], [[]], [null], [[req('tools/list'), 3]], [req('tools/call', 'x')]])(
    'refuses %j with -32600',
    (body) => {
      expect(notJsonRpc(body)?.error.code).toBe(-32600);
    },
  );
});

describe('lineError', () => {
  it('names a parse error and an invalid request; ignores the rest', () => {
    expect(lineError(new SyntaxError('Unexpected end of JSON input'))?.error).toEqual({
      code: -32700,
      message: 'Parse error: Unexpected end of JSON input',
    });
    expect(lineError(new ZodError([]))?.error.code).toBe(-32600);
    expect(lineError(new Error('EPIPE'))).toBeUndefined();
  });
});
