import { randomUUID } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ApiError, databaseUnavailableOf } from '../api/http/api-error';

/**
 * Tool results: JSON as text (every client shows it) and as structuredContent (clients that
 * read structure). Failures are results with isError, never thrown, so an agent can read and
 * correct its mistake and the server never drops the connection over one bad call.
 */
export function ok(data: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(data, null, 2) }],
    structuredContent: data,
  };
}

export interface ToolErrorBody {
  type: string;
  message: string;
  fields?: { field: string; message: string }[];
  workflow_id?: string;
  error_id?: string;
}

export function toolError(error: ToolErrorBody): CallToolResult {
  const data = { error };
  return {
    content: [{ type: 'text', text: `${error.type}: ${error.message}` }],
    structuredContent: data,
    isError: true,
  };
}

/** Caller input that the tool's own (cross-field) schema rejected. */
export class McpInputError extends Error {
  override name = 'McpInputError';
  constructor(readonly fields: { field: string; message: string }[]) {
    super(`Invalid arguments: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`);
  }
}

/** Parses with a zod schema; failures name each field the way the caller spelled it. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new McpInputError(
    r.error.issues.map((i) => ({
      field: i.path.map(String).join('.') || 'arguments',
      message: i.message,
    })),
  );
}

/**
 * Maps anything a tool handler throws to an isError result. Known errors keep their message
 * (they are written for callers); anything else gets a generic message and an error id that
 * the caller can quote and that the log line carries next to the stack.
 */
export function errorResult(err: unknown): {
  result: CallToolResult;
  unexpected: boolean;
  errorId?: string;
} {
  if (err instanceof McpInputError) {
    return {
      result: toolError({ type: 'ValidationError', message: err.message, fields: err.fields }),
      unexpected: false,
    };
  }
  if (err instanceof ApiError) {
    const fields = err.details?.map((d) => ({
      field: d.field.split(' -> ').pop() ?? d.field,
      message: d.message,
    }));
    return {
      result: toolError({ type: err.type, message: err.message, ...(fields ? { fields } : {}) }),
      // 502-504 are the provider's or Temporal's, already named for the caller; other 5xx are ours.
      unexpected: err.getStatus() >= 500 && ![502, 503, 504].includes(err.getStatus()),
    };
  }
  if (err instanceof HttpException && err.getStatus() < 500) {
    return { result: toolError({ type: 'BadRequest', message: err.message }), unexpected: false };
  }
  const errorId = `err_${randomUUID().slice(0, 8)}`;
  const database = databaseUnavailableOf(err, errorId);
  if (database) {
    // Not a bug: the same call works once the database is back (HTTP answers 503 + Retry-After).
    return {
      result: toolError({ type: database.type, message: database.message, error_id: errorId }),
      unexpected: false,
      errorId,
    };
  }
  return {
    result: toolError({
      type: 'InternalError',
      message: `An unexpected error occurred (error id ${errorId})`,
      error_id: errorId,
    }),
    unexpected: true,
    errorId,
  };
}
