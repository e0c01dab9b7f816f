/** The API's one error envelope: `{error:{type,message,code,details?}, detail}`. */
export interface ApiErrorDetail {
  field: string;
  message: string;
  type?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'Error',
    readonly code = 'ERROR',
    readonly details: ApiErrorDetail[] = [],
    /** From Retry-After on a 429 or 503: when the server will take the request again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Validation messages keyed by field (the last path segment, e.g. `body -> primaryCharacter` → `primaryCharacter`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      const key = d.field.split(/\s*->\s*|\./).pop() ?? d.field;
      out[key] ??= d.message;
    }
    return out;
  }
}

interface Envelope {
  error?: { type?: string; message?: string; code?: string; details?: ApiErrorDetail[] } | string;
  detail?: unknown;
  message?: unknown;
}

/** Retry-After in seconds or as an HTTP date, in ms from now; undefined if absent or unreadable. */
export function parseRetryAfter(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Builds an ApiError from whatever the server sent (envelope, `{detail}`, text or nothing). */
export function toApiError(
  status: number,
  body: unknown,
  statusText = '',
  retryAfterMs?: number,
): ApiError {
  const fallback = status
    ? `Request failed (${status}${statusText ? ` ${statusText}` : ''})`
    : 'Network error: the API is unreachable';
  const make = (message: string, type?: string, code?: string, details: ApiErrorDetail[] = []) =>
    new ApiError(status, message, type, code, details, retryAfterMs);
  if (body && typeof body === 'object') {
    const b = body as Envelope;
    if (b.error && typeof b.error === 'object') {
      return make(
        b.error.message ?? statusText ?? 'Request failed',
        b.error.type,
        b.error.code,
        Array.isArray(b.error.details) ? b.error.details : [],
      );
    }
    if (typeof b.error === 'string') return make(b.error);
    if (typeof b.detail === 'string') return make(b.detail);
    if (typeof b.message === 'string') return make(b.message);
  }
  if (typeof body === 'string' && body.trim() && body.length < 300) return make(body.trim());
  return make(fallback);
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error)
    return err.name === 'TimeoutError' ? 'The request timed out' : err.message;
  return String(err);
}
