import { HttpException, HttpStatus } from '@nestjs/common';

/** One error envelope for every route (see error.filter.ts). */
export interface ErrorDetail {
  field: string;
  message: string;
  type: string;
  input?: unknown;
}

export interface ErrorBody {
  error: {
    type: string;
    message: string;
    code: string;
    error_id?: string;
    details?: ErrorDetail[];
  };
  /** Same message, for clients of the original that read `detail`. */
  detail: string;
}

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
