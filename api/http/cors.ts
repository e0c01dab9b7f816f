import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { RouteDeclaration } from './routes/route-table';

/** Headers a browser client may read: correlation, rate limits, Location of started runs, list totals, MCP sessions. */
export const EXPOSED_HEADERS = [
  'X-Request-ID',
  'X-Transaction-GUID',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Retry-After',
  'Location',
  'X-Total-Count',
  'Mcp-Session-Id',
];

/**
 * CORS for the configured origins only (the original reflected any origin with credentials).
 * A refused origin gets no CORS headers at all, so the browser blocks the response; `*` in
 * CORS_ORIGINS opens the API to every origin, but then without credentials.
 */
export function corsOptions(origins: readonly string[]): CorsOptions {
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  return {
    origin: anyOrigin
      ? '*'
      : (origin, cb) =>
          cb(null, origin !== undefined && allowed.has(origin.toLowerCase()) ? origin : false),
    credentials: !anyOrigin,
    maxAge: 3600,
    exposedHeaders: EXPOSED_HEADERS,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  };
}

/**
 * A preflight never carries credentials, so OPTIONS needs no key anywhere. The cors middleware
 * answers those from allowed origins; the others go on to the auth middleware (and a 404).
 */
export const CORS_PREFLIGHT: RouteDeclaration = {
  methods: ['OPTIONS'],
  path: '/{*any}',
  access: 'public',
  source: 'CORS preflight',
};
