import createClient, { type Middleware } from 'openapi-fetch';
import { getApiKey, signalKeyNeeded } from './auth';
import { ApiError, parseRetryAfter, toApiError } from './errors';
import type { paths } from './schema';

/** Requests that legitimately wait for a whole workflow (story with ?wait=true, chat turn, context run). */
const LONG_RUNNING = [/[?&]wait=(true|1)\b/, /\/api\/chat\/[^/]+$/, /\/api\/context\/execute$/];
const DEFAULT_TIMEOUT_MS = 60_000;
const LONG_TIMEOUT_MS = 180_000;

function timeoutFor(url: string): number {
  return LONG_RUNNING.some((r) => r.test(url)) ? LONG_TIMEOUT_MS : DEFAULT_TIMEOUT_MS;
}

const fetchWithTimeout = (request: Request): Promise<Response> =>
  globalThis.fetch(request, {
    signal: AbortSignal.any([request.signal, AbortSignal.timeout(timeoutFor(request.url))]),
  });

/** A per-tab id in the dev console, so interleaved requests of one session can be told apart. */
export const SESSION_ID = Math.random().toString(36).slice(2, 10);

const devLog: Middleware = {
  onRequest({ request }) {
    console.debug(`[api ${SESSION_ID}] → ${request.method} ${new URL(request.url).pathname}`);
  },
  onResponse({ request, response }) {
    console.debug(
      `[api ${SESSION_ID}] ← ${response.status} ${request.method} ${new URL(request.url).pathname}`,
    );
  },
};

/** Sends the stored API key, if any; a 401 makes the app ask for one. */
const apiKey: Middleware = {
  onRequest({ request }) {
    const key = getApiKey();
    if (key) request.headers.set('X-API-Key', key);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) signalKeyNeeded();
  },
};

/** The typed client: paths and request bodies come from the OpenAPI document (schema.d.ts). */
export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  fetch: fetchWithTimeout,
});
api.use(apiKey);
if (import.meta.env.DEV) api.use(devLog);

type Sent<T> = Promise<{ data?: T; error?: unknown; response: Response }>;

/**
 * Awaits an openapi-fetch call and returns its body, typed by the OpenAPI document (the 2xx
 * response schemas), or throws an ApiError built from the error envelope.
 */
export async function send<T>(call: Sent<T>): Promise<T> {
  let result: Awaited<Sent<T>>;
  try {
    result = await call;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const e = err as Error;
    throw new ApiError(
      0,
      e.name === 'TimeoutError' ? 'The request timed out' : 'Network error: the API is unreachable',
    );
  }
  const { data, error, response } = result;
  if (!response.ok)
    throw toApiError(
      response.status,
      error,
      response.statusText,
      parseRetryAfter(response.headers.get('Retry-After')),
    );
  return data as T;
}

/** One page of a list and, when the API says it (X-Total-Count), how many rows there are in all. */
export interface Page<T> {
  rows: T[];
  total: number | undefined;
}

/** send() for the lists whose body is a bare array: the total comes in the X-Total-Count header. */
export async function sendPage<T>(call: Sent<T[]>): Promise<Page<T>> {
  let headers: Headers | undefined;
  const rows = await send(
    call.then((r) => {
      headers = r.response.headers;
      return r;
    }),
  );
  const header = headers?.get('X-Total-Count');
  const total = header === null || header === undefined ? undefined : Number(header);
  return { rows, total: Number.isInteger(total) ? total : undefined };
}

/** A query without its unset filters (undefined or ''), so the URL carries only what was chosen. */
export function withoutEmpty<T extends object>(query: T): T {
  return Object.fromEntries(
    Object.entries(query).filter(([, v]) => v !== undefined && v !== ''),
  ) as T;
}
