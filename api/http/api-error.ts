import { HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorBody, ErrorDetail } from '../../common/schemas/error-responses';
import { isDatabaseUnavailable } from '../../prisma/unavailable';

/** One error envelope for every route (see error.filter.ts), described in common/schemas/error-responses.ts. */
export type { ErrorBody, ErrorDetail };

export class ApiError extends HttpException {
  constructor(
    status: HttpStatus | number,
    readonly type: string,
    message: string,
    readonly code: string = type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(),
    readonly details?: ErrorDetail[],
  ) {
    super(message, status);
  }
}

/** A body that is JSON but not an object (null, true, 123, "x", [...]): no route takes one. */
export function bodyNotAnObject(value: unknown): ApiError {
  const got =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'an array'
        : typeof value === 'undefined'
          ? 'nothing'
          : `a ${typeof value}`;
  return new ApiError(
    HttpStatus.BAD_REQUEST,
    'InvalidBody',
    `Request body must be a JSON object (got ${got})`,
    'INVALID_BODY',
    [{ field: 'body', message: 'body must be a JSON object', type: 'invalid_type' }],
  );
}

export const notFound = (what: string) =>
  new ApiError(HttpStatus.NOT_FOUND, 'NotFound', `${what} not found`, 'NOT_FOUND');

/** Seconds a caller should wait before retrying when the database is busy or down. */
export const DATABASE_RETRY_AFTER_S = 2;

/**
 * The database is busy or down: neither the caller's mistake nor a bug, and the same request
 * works once it is back. One answer for HTTP (503 + Retry-After) and MCP (an isError result).
 */
export function databaseUnavailableOf(err: unknown, errorId: string): ApiError | undefined {
  if (!isDatabaseUnavailable(err)) return undefined;
  return new ApiError(
    HttpStatus.SERVICE_UNAVAILABLE,
    'DatabaseUnavailable',
    `The database is busy or unavailable. Retry in ${DATABASE_RETRY_AFTER_S} s (error id ${errorId}).`,
  );
}
