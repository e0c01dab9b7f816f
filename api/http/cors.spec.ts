import { corsOptions } from './cors';

function decide(origins: string[], origin: string | undefined): unknown {
  const o = corsOptions(origins).origin;
  if (typeof o !== 'function') return o;
  let result: unknown;
  (o as (origin: string | undefined, cb: (err: Error | null, allow?: unknown) => void) => void)(
    origin,
    (_e, allow) => {
      result = allow;
    },
  );
  return result;
}

describe('corsOptions', () => {
  const origins = ['http://localhost:3000', 'https://app.example.com/'];

  it('reflects a configured origin (case-insensitive, trailing slash ignored) with credentials', () => {
    expect(decide(origins, 'http://localhost:3000')).toBe('http://localhost:3000');
    expect(decide(origins, 'https://APP.example.com')).toBe('https://APP.example.com');
    expect(corsOptions(origins).credentials).toBe(true);
    expect(corsOptions(origins).maxAge).toBe(3600);
  });

  it('refuses other origins and requests without an Origin', () => {
    expect(decide(origins, 'http://evil.example')).toBe(false);
    expect(decide(origins, 'http://localhost:3000.evil.example')).toBe(false);
    expect(decide(origins, undefined)).toBe(false);
  });

  it('"*" allows any origin but never with credentials', () => {
    const o = corsOptions(['*']);
    expect(o.origin).toBe('*');
    expect(o.credentials).toBe(false);
  });
});
