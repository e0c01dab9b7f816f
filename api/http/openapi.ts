import { applyDecorators } from '@nestjs/common';
import { ApiQuery, ApiResponse, type OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { errorBodySchema, rateLimitErrorBodySchema } from '../../common/schemas/error-responses';
import { responseSchemas } from '../../common/schemas/response-fields';

/** OpenAPI schema objects come from the same zod schemas that validate requests. */
export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete s.$schema;
  return s;
}

/**
 * Responses: every route declares each of its responses with one of the decorators below. They
 * put the response in the OpenAPI document and record it on the handler, where the
 * response-validation interceptor (QUILLFLOW_VALIDATE_RESPONSES) finds the schema to check.
 */
export const DECLARED_RESPONSES = 'quillflow:declared-responses';

export type DeclaredResponse =
  | { kind: 'json'; schema: z.ZodType; id: string }
  /** Server-sent events whose `data` is JSON of `schema`. */
  | { kind: 'sse'; schema: z.ZodType; id: string }
  /** Text, files, metrics: not JSON, not checked. */
  | { kind: 'other'; mediaType: string }
  | { kind: 'empty' };

export type DeclaredResponses = Record<number, DeclaredResponse>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function idOf(schema: z.ZodType, what: string): string {
  const id = responseSchemas.get(schema)?.id;
  if (!id)
    throw new Error(
      `${what}: the schema has no name; give it one with named() in common/schemas/*-responses.ts`,
    );
  return id;
}

function declare(status: number, response: DeclaredResponse): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const declared =
      (Reflect.getMetadata(DECLARED_RESPONSES, handler) as DeclaredResponses | undefined) ?? {};
    Reflect.defineMetadata(DECLARED_RESPONSES, { ...declared, [status]: response }, handler);
    return descriptor;
  };
}

/** The responses a route handler declared (undefined for routes outside the OpenAPI document). */
export function declaredResponses(handler: object): DeclaredResponses | undefined {
  return Reflect.getMetadata(DECLARED_RESPONSES, handler) as DeclaredResponses | undefined;
}

/** A JSON response whose body is `schema` (a named schema of common/schemas/*-responses.ts). */
export function ApiZodResponse(
  status: number,
  schema: z.ZodType,
  description: string,
): MethodDecorator {
  const id = idOf(schema, `ApiZodResponse(${status})`);
  return applyDecorators(
    ApiResponse({ status, description, content: { 'application/json': { schema: ref(id) } } }),
    declare(status, { kind: 'json', schema, id }),
  );
}

/** Server-sent events: `text/event-stream`, each event's `data` JSON of `schema`. */
export function ApiSseResponse(schema: z.ZodType, description: string): MethodDecorator {
  const id = idOf(schema, 'ApiSseResponse');
  return applyDecorators(
    ApiResponse({
      status: 200,
      description,
      content: {
        'text/event-stream': {
          schema: {
            type: 'string',
            description: `Server-sent events; each event's data is JSON: #/components/schemas/${id}`,
          },
        },
      },
    }),
    declare(200, { kind: 'sse', schema, id }),
  );
}

/** A body that is not JSON: text, a file, metrics. */
export function ApiMediaResponse(
  status: number,
  mediaType: string,
  description: string,
): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status, description, content: { [mediaType]: { schema: { type: 'string' } } } }),
    declare(status, { kind: 'other', mediaType }),
  );
}

/** No body (204). */
export function ApiEmptyResponse(status: number, description: string): MethodDecorator {
  return applyDecorators(ApiResponse({ status, description }), declare(status, { kind: 'empty' }));
}

const SAFE_INT = Number.MAX_SAFE_INTEGER;

/** Bounds zod adds to every integer, and the long date(-time) regex next to `format`. */
function tidy({ jsonSchema: s }: { jsonSchema: Record<string, unknown> }): void {
  if (s.minimum === -SAFE_INT) delete s.minimum;
  if (s.maximum === SAFE_INT) delete s.maximum;
  if (s.format === 'date-time' || s.format === 'date') delete s.pattern;
}

/**
 * Query parameters: a route whose handler validates its query with `ZodPipe(schema, 'query')`
 * declares the same schema with `ApiZodQuery(schema)`, which puts each of its fields in the
 * OpenAPI document as a query parameter (as the caller sends it: `io: 'input'`) and records the
 * schema on the handler (scripts/export-openapi.spec.ts checks the two agree).
 */
export const DECLARED_QUERY = 'quillflow:declared-query';

/** A zod object schema of query parameters (refinements allowed; its fields are the parameters). */
export type ZodQuerySchema = z.ZodObject;

export interface QueryParameter {
  name: string;
  required: boolean;
  description?: string;
  schema: Record<string, unknown>;
}

/** The OpenAPI query parameters of a zod object schema, one per field, in the schema's order. */
export function queryParameters(schema: ZodQuerySchema): QueryParameter[] {
  const whole = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    required?: string[];
  };
  const required = new Set(whole.required ?? []);
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const {
      $schema: _s,
      description,
      ...fieldSchema
    } = z.toJSONSchema(field, {
      target: 'openapi-3.0',
      io: 'input',
      unrepresentable: 'any',
      override: tidy,
    }) as Record<string, unknown>;
    refuseNul(fieldSchema);
    return {
      name,
      required: required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: fieldSchema,
    };
  });
}

/** Declares every field of `schema` as a query parameter of the route (see DECLARED_QUERY). */
export function ApiZodQuery(schema: ZodQuerySchema): MethodDecorator {
  const params = queryParameters(schema).map((p) => ApiQuery({ ...p, schema: p.schema as never }));
  const record: MethodDecorator = (_target, _key, descriptor) => {
    Reflect.defineMetadata(DECLARED_QUERY, schema, descriptor.value as object);
    return descriptor;
  };
  return applyDecorators(...params, record);
}

/** The query schema a route handler declared with ApiZodQuery, if any. */
export function declaredQuery(handler: object): ZodQuerySchema | undefined {
  return Reflect.getMetadata(DECLARED_QUERY, handler) as ZodQuerySchema | undefined;
}

/** The named response schemas as OpenAPI 3.0 components, referring to each other by $ref. */
export function responseComponents(): Record<string, Record<string, unknown>> {
  const { schemas } = z.toJSONSchema(responseSchemas, {
    target: 'openapi-3.0',
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
    override: tidy,
  });
  return Object.fromEntries(
    Object.keys(schemas)
      .sort()
      .map((id) => {
        const { $id: _id, $schema: _s, ...rest } = schemas[id] as Record<string, unknown>;
        return [id, rest];
      }),
  );
}

/** No NUL (the NUL guard, api/http/nul-guard.middleware.ts, refuses it in every input). */
export const NO_NUL_PATTERN = '^[^\\u0000]*$';

/**
 * Marks an open request object documented closed (see refuseNul): the server ignores the fields
 * the document does not name. The contract fuzz (test/contract-fuzz/hooks.py) reads it.
 */
export const IGNORED_FIELDS_MARK = 'x-quillflow-unknown-fields-ignored';

/**
 * The NUL guard refuses a NUL anywhere in a path, query or body: every request string that no
 * pattern, format or enum constrains gets NO_NUL_PATTERN, so the document says what the guard
 * does. An open request object (the original's bodies, whose unknown fields are ignored) is
 * documented closed, and marked (IGNORED_FIELDS_MARK): its other fields are no part of the
 * contract, and OpenAPI 3.0 could not say that their names hold no NUL (`propertyNames` is not
 * in it; Schemathesis, reading the document as draft 4 JSON Schema, ignores it) nor, without a
 * recursive schema that the web's generated types cannot take, that their values hold none.
 */
function refuseNul(schema: unknown): void {
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as Record<string, unknown>;
  if (
    s.type === 'string' &&
    s.pattern === undefined &&
    s.enum === undefined &&
    s.format === undefined &&
    s.const === undefined
  ) {
    s.pattern = NO_NUL_PATTERN;
  }
  if (s.type === 'object' && s.additionalProperties === undefined && s.properties !== undefined) {
    s.additionalProperties = false;
    s[IGNORED_FIELDS_MARK] = true;
  }
  for (const key of ['properties', 'patternProperties', '$defs', 'definitions']) {
    const children = s[key];
    if (typeof children === 'object' && children !== null)
      for (const child of Object.values(children)) refuseNul(child);
  }
  for (const key of ['items', 'additionalProperties', 'not']) refuseNul(s[key]);
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'])
    if (Array.isArray(s[key])) for (const child of s[key] as unknown[]) refuseNul(child);
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/**
 * Answers that depend on the server's state, not on the request: declared on each operation they
 * can come from. 404: a path id (or a conversation_id, a file id in the body) that names
 * nothing. 409: the state forbids it now (a closed run, a batch that is not running, a schedule id
 * taken, an Idempotency-Key reused with another body, a run cancelled while the call waited).
 */
function stateResponses(path: string, method: string): Record<string, string> {
  const responses: Record<string, string> = {};
  const refersToRecord =
    path.includes('{') || (method === 'post' && path === '/api/context/execute');
  if (refersToRecord) responses['404'] = 'Nothing has that id (or one of the ids the body names)';
  const changesState =
    (method === 'post' && path !== '/api/context/upload') ||
    (method === 'delete' && path.startsWith('/api/schedules/'));
  if (changesState)
    responses['409'] =
      'Its current state forbids it (a closed run, a batch not in that state, an id already taken, an Idempotency-Key reused with another body)';
  return responses;
}

/**
 * Completes the document: the response components, and the error envelope on every operation
 * (4XX, 5XX, and the rate limiter's status with its own details) where a route did not say
 * otherwise.
 */
export function withResponseSchemas(
  document: OpenAPIObject,
  rateLimitStatus: number,
): OpenAPIObject {
  const errorId = idOf(errorBodySchema, 'error envelope');
  const rateLimitId = idOf(rateLimitErrorBodySchema, 'rate-limit envelope');
  const errors = {
    [String(rateLimitStatus)]: {
      description: 'Too many requests (RATE_LIMIT_* budgets); Retry-After says when to try again',
      content: { 'application/json': { schema: ref(rateLimitId) } },
    },
    '4XX': {
      description: 'The request cannot be served as sent (the error envelope says why)',
      content: { 'application/json': { schema: ref(errorId) } },
    },
    '5XX': {
      description:
        'A failed generation (502/503/504, named), or a server error with an error_id to find in the logs',
      content: { 'application/json': { schema: ref(errorId) } },
    },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      for (const [status, description] of Object.entries(stateResponses(path, method)))
        op.responses[status] ??= {
          description,
          content: { 'application/json': { schema: ref(errorId) } },
        };
      for (const [status, response] of Object.entries(errors)) op.responses[status] ??= response;
      for (const param of op.parameters ?? []) if ('schema' in param) refuseNul(param.schema);
      if (op.requestBody && 'content' in op.requestBody) {
        for (const media of Object.values(op.requestBody.content)) refuseNul(media.schema);
      }
    }
  }
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      ...responseComponents(),
    },
  };
  return document;
}
