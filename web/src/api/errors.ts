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

/** Builds an ApiError from whatever the server sent (envelope, `{detail}`, text or nothing). */
export function toApiError(status: number, body: unknown, statusText = ''): ApiError {
  if (body && typeof body === 'object') {
    const b = body as Envelope;
    if (b.error && typeof b.error === 'object') {
      return new ApiError(
        status,
        b.error.message ?? statusText ?? 'Request failed',
        b.error.type,
        b.error.code,
        Array.isArray(b.error.details) ? b.error.details : [],
      );
    }
    if (typeof b.error === 'string') return new ApiError(status, b.error);
    if (typeof b.detail === 'string') return new ApiError(status, b.detail);
    if (typeof b.message === 'string') return new ApiError(status, b.message);
  }
  if (typeof body === 'string' && body.trim() && body.length < 300)
    return new ApiError(status, body.trim());
  return new ApiError(
    status,
    status
      ? `Request failed (${status}${statusText ? ` ${statusText}` : ''})`
      : 'Network error: the API is unreachable',
  );
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error)
    return err.name === 'TimeoutError' ? 'The request timed out' : err.message;
  return String(err);
}
