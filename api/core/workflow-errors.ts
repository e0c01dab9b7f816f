import { HttpStatus } from '@nestjs/common';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowFailedError,
} from '@temporalio/client';
import {
  isRequestBoundType,
  REQUEST_BOUND_STATUS,
  type BoundsViolation,
} from '../../activities/llm/request-bounds';
import { ApiError } from '../http/api-error';

export interface FailureSummary {
  type: string;
  message: string;
  nonRetryable?: boolean;
}

/** The innermost meaningful failure of a workflow: what a caller or operator needs to read. */
export function summarizeFailure(err: unknown): FailureSummary {
  let e: unknown = err instanceof WorkflowFailedError ? err.cause : err;
  while (e instanceof ActivityFailure && e.cause) e = e.cause;
  if (e instanceof ApplicationFailure)
    return {
      type: e.type ?? 'ApplicationFailure',
      message: e.message,
      nonRetryable: e.nonRetryable ?? undefined,
    };
  if (e instanceof CancelledFailure)
    return { type: 'Cancelled', message: e.message || 'cancelled' };
  if (e instanceof TerminatedFailure)
    return { type: 'Terminated', message: e.message || 'terminated' };
  if (e instanceof TimeoutFailure)
    return { type: 'Timeout', message: e.message || `timed out (${e.timeoutType})` };
  return { type: (e as Error)?.name ?? 'Error', message: (e as Error)?.message ?? String(e) };
}

/**
 * A request over its bounds (activities/llm/request-bounds.ts), whether the API's check refused
 * it before starting anything or the activity's check failed the run: 413 RequestTooLarge or
 * 422 RequestOverCostCeiling, with the message as written (it names the figure, the limit and the fix).
 */
export function requestBoundsToHttp(
  v: BoundsViolation,
  status: number = REQUEST_BOUND_STATUS[v.type],
): ApiError {
  return new ApiError(status, v.type, v.message);
}

/** A failed generation is the provider's or ours, never the caller's: 502/503/504, named. */
export function failureToHttp(err: unknown): ApiError {
  const f = summarizeFailure(err);
  // The exception: a request refused before its first call, which the caller can fix.
  if (isRequestBoundType(f.type)) return requestBoundsToHttp({ type: f.type, message: f.message });
  const status =
    f.type === 'ProviderTimeout' || f.type === 'Timeout'
      ? HttpStatus.GATEWAY_TIMEOUT
      : f.type === 'ProviderRateLimited' || f.type === 'ProviderQuotaExceeded'
        ? HttpStatus.SERVICE_UNAVAILABLE
        : f.type === 'Cancelled' || f.type === 'Terminated'
          ? HttpStatus.CONFLICT
          : HttpStatus.BAD_GATEWAY;
  return new ApiError(status, f.type, `Generation failed: ${f.message}`);
}
