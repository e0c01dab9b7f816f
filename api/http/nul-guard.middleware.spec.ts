import { nulGuard } from './nul-guard.middleware';

function run(req: object): unknown {
  let passed: unknown = 'not called';
  nulGuard(req as never, {} as never, (err?: unknown) => {
    passed = err;
  });
  return passed;
}

describe('nulGuard', () => {
  it('lets ordinary input through', () => {
    expect(
      run({ path: '/api/stories/1', query: { q: 'José' }, body: { a: ['x', { b: 'y' }] } }),
    ).toBeUndefined();
  });
  it.each([
    [{ path: '/api/batches/abc%00def', query: {}, body: undefined }],
    [{ path: '/api/x', query: { q: 'a\u0000b' }, body: undefined }],
    [{ path: '/api/x', query: {}, body: { message: 'hi\u0000' } }],
    [{ path: '/api/x', query: {}, body: { nested: [{ deep: '\u0000' }] } }],
  ])('refuses NUL in %j', (req) => {
    const err = run(req) as { getStatus(): number; message: string };
    expect(err.getStatus()).toBe(400);
    expect(err.message).toMatch(/NUL/);
  });
  it('leaves /mcp bodies to the MCP gate (a JSON-RPC error, not a 400)', () => {
    expect(
      run({ path: '/mcp', query: {}, body: { params: { arguments: { message: 'hi\u0000' } } } }),
    ).toBeUndefined();
    expect(
      (
        run({ path: '/mcp', query: { q: '\u0000' }, body: {} }) as { getStatus(): number }
      ).getStatus(),
    ).toBe(400);
  });
});
