import { HttpStatus, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ApiError, bodyNotAnObject, type ErrorDetail } from './api-error';
import { coercedNumberFields, nonDecimalNumbers } from './query-numbers';

/** Validates a body/query with a zod schema; errors name each field and say what to fix. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  private readonly numberFields: string[];

  constructor(
    readonly schema: S,
    readonly where: 'body' | 'query' | 'path' = 'body',
  ) {
    this.numberFields = where === 'query' ? coercedNumberFields(schema) : [];
  }

  transform(value: unknown): z.output<S> {
    if (
      this.where === 'body' &&
      (value === undefined || value === null || typeof value !== 'object')
    )
      throw bodyNotAnObject(value);
    if (this.where === 'body' && Array.isArray(value)) {
      // An array is the JSON parser's kind of value: a validation error naming the body, as before.
      throw new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'ValidationError',
        'Request body must be a JSON object, not an array',
        'VALIDATION_ERROR',
        [{ field: 'body', message: 'expected a JSON object', type: 'invalid_type' }],
      );
    }
    const badNumbers =
      value && typeof value === 'object'
        ? nonDecimalNumbers(value as Record<string, unknown>, this.numberFields)
        : [];
    const r = this.schema.safeParse(value ?? {});
    if (r.success && badNumbers.length === 0) return r.data;
    const issues = r.success
      ? []
      : r.error.issues.filter((i) => !badNumbers.includes(String(i.path[0])));
    const details: ErrorDetail[] = [
      ...badNumbers.map((f) => ({
        field: `${this.where} -> ${f}`,
        message: `${f} must be a number written in decimal digits`,
        type: 'invalid_type',
      })),
      ...issues.map((i) => ({
        field: [this.where, ...i.path.map(String)].join(' -> '),
        message: i.message,
        type: i.code,
      })),
    ];
    const summary = details
      .map((d) => `${d.field.split(' -> ').slice(1).join('.') || d.field}: ${d.message}`)
      .join('; ');
    throw new ApiError(
      HttpStatus.UNPROCESSABLE_ENTITY,
      'ValidationError',
      `Request validation failed: ${summary}`,
      'VALIDATION_ERROR',
      details,
    );
  }
}
