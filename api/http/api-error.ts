import { HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorBody, ErrorDetail } from '../../common/schemas/error-responses';

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

export const notFound = (what: string) => new ApiError(HttpStatus.NOT_FOUND, 'NotFound', `${what} not found`, 'NOT_FOUND');
