import { ApplicationFailure } from '@temporalio/common';

/**
 * Maps a provider/client error to Temporal semantics: the caller's mistakes and spent quota
 * are non-retryable; 429 honours retry-after; 5xx, timeouts and broken connections retry.
 * Messages carry the provider's message only, never request bodies or keys.
 */
export interface ClassifiedError {
  type: string;
  message: string;
  retryable: boolean;
  httpStatus?: number;
  retryAfterMs?: number;
}

const NON_RETRYABLE_STATUS: Record<number, string> = {
  400: 'ProviderBadRequest',
  401: 'ProviderAuthenticationError',
  403: 'ProviderPermissionDenied',
  404: 'ProviderNotFound',
  409: 'ProviderConflict',
  413: 'ProviderRequestTooLarge',
  422: 'ProviderUnprocessable',
};

interface ErrorLike {
  status?: unknown;
  code?: unknown;
  name?: unknown;
  message?: unknown;
  headers?: unknown;
  error?: unknown;
  cause?: unknown;
  lc_error_code?: unknown;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

export function retryAfterMs(headers: unknown): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const s = header(headers, 'retry-after');
  if (!s) return undefined;
  if (Number.isFinite(Number(s))) return Math.max(0, Number(s) * 1000);
  const date = Date.parse(s);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** OpenAI's reset durations: "1s", "6m0s", "20ms", "1.5s". */
function durationMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  let total = 0;
  let matched = false;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    matched = true;
    total +=
      Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  return matched ? total : undefined;
}

/** A 429's wait: retry-after(-ms), else the later of the x-ratelimit-reset-* headers. */
export function rateLimitWaitMs(headers: unknown): number | undefined {
  const direct = retryAfterMs(headers);
  if (direct !== undefined) return direct;
  const resets = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']
    .map((h) => durationMs(header(headers, h)))
    .filter((v): v is number => v !== undefined);
  return resets.length ? Math.max(...resets) : undefined;
}

function redact(message: string): string {
  return message.replace(/(sk|pk|key)-[A-Za-z0-9_-]{6,}/g, '$1-***').slice(0, 500);
}

export function classifyError(err: unknown): ClassifiedError {
  const e = (err ?? {}) as ErrorLike;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = redact(typeof e.message === 'string' ? e.message : String(err));
  if (err instanceof ApplicationFailure) {
    return { type: err.type ?? 'ApplicationFailure', message, retryable: !err.nonRetryable };
  }
  if (status === 429) {
    if (code === 'insufficient_quota' || /insufficient_quota/.test(message)) {
      return { type: 'ProviderQuotaExceeded', message, retryable: false, httpStatus: 429 };
    }
    return {
      type: 'ProviderRateLimited',
      message,
      retryable: true,
      httpStatus: 429,
      retryAfterMs: rateLimitWaitMs(e.headers),
    };
  }
  if (status !== undefined && NON_RETRYABLE_STATUS[status]) {
    return { type: NON_RETRYABLE_STATUS[status], message, retryable: false, httpStatus: status };
  }
  if (status !== undefined && status >= 500) {
    return { type: 'ProviderServerError', message, retryable: true, httpStatus: status };
  }
  // Before the message patterns: a truncated body says "Unterminated string in JSON", which
  // the connection pattern below ("terminated", undici's word for a cut-off body) would take.
  if (err instanceof SyntaxError || name === 'SyntaxError') {
    return { type: 'ProviderMalformedResponse', message, retryable: true };
  }
  if (/timeout|timed out/i.test(name) || /timed? ?out/i.test(message)) {
    return { type: 'ProviderTimeout', message, retryable: true };
  }
  if (
    /Connection|ECONNRESET|ECONNREFUSED|socket hang up|terminated|fetch failed/i.test(
      `${name} ${message}`,
    )
  ) {
    return { type: 'ProviderConnectionError', message, retryable: true };
  }
  if (err instanceof SyntaxError || /JSON|Unexpected token|parse/i.test(message)) {
    return { type: 'ProviderMalformedResponse', message, retryable: true };
  }
  if (status !== undefined && status >= 400) {
    return { type: `ProviderHttp${status}`, message, retryable: false, httpStatus: status };
  }
  return { type: name === 'Error' ? 'ProviderError' : name, message, retryable: true };
}

export const RATE_LIMITED = 'ProviderRateLimited';

/** Errors that say a provider is unwell rather than the request wrong: move to the next provider. */
const FAILOVER_TYPES = new Set([
  'ProviderServerError',
  'ProviderTimeout',
  'ProviderConnectionError',
  'ProviderNotFound',
  'ProviderMalformedResponse',
]);
export function isFailover(c: ClassifiedError): boolean {
  return FAILOVER_TYPES.has(c.type);
}

export function toApplicationFailure(c: ClassifiedError): ApplicationFailure {
  if (!c.retryable) return ApplicationFailure.nonRetryable(c.message, c.type);
  return ApplicationFailure.create({
    message: c.message,
    type: c.type,
    nonRetryable: false,
    nextRetryDelay: c.retryAfterMs !== undefined ? Math.max(c.retryAfterMs, 1) : undefined,
  });
}
