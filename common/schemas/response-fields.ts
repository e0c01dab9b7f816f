import { z } from 'zod';

/**
 * Building blocks of the response schemas (`*-responses.ts`): the zod schemas of every JSON body
 * the API returns. They document the responses in the OpenAPI document (api/http/openapi.ts),
 * type the serializers (z.infer), and check real responses when QUILLFLOW_VALIDATE_RESPONSES is
 * on (api/http/response-validation.interceptor.ts). Response schemas describe the wire form
 * (after JSON.stringify): strict objects, so an undocumented field is a mismatch too.
 */

/** Response schemas with a name: each is `components.schemas.<id>` in the OpenAPI document. */
export const responseSchemas = z.registry<{ id: string; description?: string }>();

/** Registers a response schema under its OpenAPI component name. */
export function named<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  responseSchemas.add(schema, description ? { id, description } : { id });
  return schema;
}

/** True when A and B are the same type (for compile-time checks of schemas against contracts). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const int = z.number().int();

/** Timestamps: ISO 8601 in UTC, as Date.toISOString() writes them. */
export const isoDateTime = z.iso.datetime();

/** Money in Quillflow's own payloads: a decimal string with six decimals (common/money.ts `usd`). */
export const usdString = z
  .string()
  .regex(/^-?\d+\.\d{6}$/, { error: 'expected a decimal string with 6 decimals' });

/** Money in the original platform's payloads (stories, chat, context, cost): a JSON number, 6 decimals at most. */
export const usdNumber = z.number();

/** A string field that is absent from the JSON when unknown (`undefined` is dropped by JSON.stringify). */
export const optionalString = z.string().optional();

/**
 * How many rows a paged list has in all, on the routes whose body is the original's bare list
 * (stories, conversations, context executions): a header, so the body keeps its shape.
 */
export const TOTAL_COUNT_HEADER = 'X-Total-Count';

/** Links to related resources: paths on this API. */
export function links<K extends string>(...keys: K[]) {
  return z.strictObject(
    Object.fromEntries(keys.map((k) => [k, z.string()])) as Record<K, z.ZodString>,
  );
}

/** `{message}`: what a delete answers. */
export const messageSchema = named(
  'Message',
  z.strictObject({ message: z.string() }),
  'A confirmation',
);
export type Message = z.infer<typeof messageSchema>;

/** `{message, deleted_count}`: what a bulk delete answers (the original's shape). */
export const deletedCountSchema = named(
  'DeletedCount',
  z.strictObject({ message: z.string(), deleted_count: int }),
  'A bulk delete: what was deleted, and how many',
);
export type DeletedCount = z.infer<typeof deletedCountSchema>;
