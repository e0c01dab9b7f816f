import { applyDecorators, HttpStatus, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiError } from './api-error';

/**
 * Record ids in paths (`/api/stories/{id}`, conversations, context executions): database ids,
 * 32-bit integers from 1, written in decimal digits. One zod schema checks them and documents
 * them (an OpenAPI integer with its bounds), so "1.0", "0x1F" or "-1" are 422s the document
 * predicts, and an id in range that names nothing is a 404.
 */
export const MAX_RECORD_ID = 2_147_483_647;
export const recordIdSchema = z.number().int().min(1).max(MAX_RECORD_ID);

export class RecordIdPipe implements PipeTransform<string, number> {
  constructor(private readonly name = 'id') {}

  transform(value: string): number {
    if (/^[0-9]+$/.test(value)) {
      const id = recordIdSchema.safeParse(Number(value));
      if (id.success) return id.data;
      // Past the largest id: well formed, names nothing (the services answer 404, as before).
      if (Number(value) > MAX_RECORD_ID) return Number(value);
    }
    const message = `${this.name} must be a whole number from 1 to ${MAX_RECORD_ID}, in decimal digits`;
    throw new ApiError(
      HttpStatus.UNPROCESSABLE_ENTITY,
      'ValidationError',
      message,
      'VALIDATION_ERROR',
      [{ field: `path -> ${this.name}`, message, type: 'invalid_type' }],
    );
  }
}

/** Documents the path parameter with recordIdSchema (use with `@Param(name, new RecordIdPipe(name))`). */
export function ApiRecordId(name = 'id', description = 'The record id'): MethodDecorator {
  const { $schema: _s, ...schema } = z.toJSONSchema(recordIdSchema, {
    target: 'openapi-3.0',
  }) as Record<string, unknown>;
  return applyDecorators(ApiParam({ name, description, schema: schema }));
}
