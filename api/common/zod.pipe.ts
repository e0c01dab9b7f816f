import { HttpStatus, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ApiError, type ErrorDetail } from './api-error';

/** Validates a body/query with a zod schema; errors name each field and say what to fix. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    readonly schema: S,
    readonly where: 'body' | 'query' | 'path' = 'body',
  ) {}

  transform(value: unknown): z.output<S> {
    if (this.where === 'body' && (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'ValidationError',
        'Request body must be a JSON object (send Content-Type: application/json)',
        'VALIDATION_ERROR',
        [{ field: 'body', message: 'expected a JSON object', type: 'invalid_type' }],
      );
    }
    const r = this.schema.safeParse(value ?? {});
    if (r.success) return r.data;
    const details: ErrorDetail[] = r.error.issues.map((i) => ({
      field: [this.where, ...i.path.map(String)].join(' -> '),
      message: i.message,
      type: i.code,
    }));
    const summary = details.map((d) => `${d.field.split(' -> ').slice(1).join('.') || d.field}: ${d.message}`).join('; ');
    throw new ApiError(
      HttpStatus.UNPROCESSABLE_ENTITY,
      'ValidationError',
      `Request validation failed: ${summary}`,
      'VALIDATION_ERROR',
      details,
    );
  }
}
