import { z } from 'zod';
import { int, isoDateTime, named } from './response-fields';

/** The one error envelope of every route (api/http/error.filter.ts, the auth middleware, the limiter). */

export const errorDetailSchema = named(
  'ErrorDetail',
  z.strictObject({
    /** Where: `body -> primaryCharacter`, `query -> limit`, ... */
    field: z.string(),
    message: z.string(),
    type: z.string(),
    input: z.unknown().optional(),
  }),
  'What is wrong with one field',
);
export type ErrorDetail = z.infer<typeof errorDetailSchema>;

export const errorBodySchema = named(
  'ErrorBody',
  z.strictObject({
    error: z.strictObject({
      /** A name for the kind of error: ValidationError, NotFound, ProviderRateLimited, ... */
      type: z.string(),
      message: z.string(),
      /** The type in UPPER_SNAKE_CASE (NOT_FOUND, VALIDATION_ERROR, ...). */
      code: z.string(),
      /** Validation errors: an id to quote; 500s: the id of the log line with the stack. */
      error_id: z.string().optional(),
      details: z.array(errorDetailSchema).optional(),
    }),
    /** The same message, for clients of the original that read `detail`. */
    detail: z.string(),
  }),
  'The error envelope',
);
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const LIMIT_TYPES = [
  'global',
  'per_ip',
  'story_generation',
  'list_endpoints',
  'health_status',
] as const;

export const rateLimitDetailsSchema = z.strictObject({
  limit: int,
  current: int,
  window: z.literal('1 minute'),
  reset_at: isoDateTime,
  limit_type: z.enum(LIMIT_TYPES),
});
export type RateLimitDetails = z.infer<typeof rateLimitDetailsSchema>;

export const rateLimitErrorBodySchema = named(
  'RateLimitErrorBody',
  z.strictObject({
    error: z.strictObject({
      type: z.literal('RateLimitExceeded'),
      message: z.string(),
      code: z.literal('RATE_LIMIT_EXCEEDED'),
      /** The original limiter's details object. */
      details: rateLimitDetailsSchema,
    }),
    detail: z.string(),
  }),
  'The error envelope of a rate-limited request (status RATE_LIMIT_RETURN_STATUS_CODE, 429 by default)',
);
export type RateLimitErrorBody = z.infer<typeof rateLimitErrorBodySchema>;
