import {
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  type MessageEvent,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import type { z } from 'zod';
import type { Logger } from '../../common/logger';
import { ApiError } from './api-error';
import { type DeclaredResponse, declaredResponses } from './openapi';

const MAX_ISSUES = 5;

/** `items[3].costUsd`; `(body)` for the body itself. */
export function issuePath(path: readonly PropertyKey[]): string {
  const s = path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
  return s || '(body)';
}

/** The body as the client receives it: what JSON.stringify makes of it (Dates, Decimals, undefined fields). */
function wireForm(body: unknown): unknown {
  const text = JSON.stringify(body);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

/**
 * Checks every response of a route against the schema it declares in the OpenAPI document
 * (api/http/openapi.ts), so the document is shown to be true, not just written. On for the
 * test platforms (QUILLFLOW_VALIDATE_RESPONSES=1), off by default in production: a mismatch is
 * our bug, and fails the request with a 500 naming the route, the schema and the field paths,
 * and an error log line saying the same (field paths and zod messages only, never values).
 *
 * Routes outside the document (pages, assets, /mcp) declare nothing and are not checked; a
 * route in it that answers a 2xx status it did not declare is a mismatch too.
 */
export class ResponseValidationInterceptor implements NestInterceptor {
  constructor(private readonly logger: Logger) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const declared =
      context.getType() === 'http' ? declaredResponses(context.getHandler()) : undefined;
    if (!declared) return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const route = `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`;
    return next.handle().pipe(
      map((body: unknown) => {
        const status = res.statusCode;
        const d: DeclaredResponse | undefined = declared[status];
        if (!d) {
          if (status >= 200 && status < 300)
            this.fail(route, status, '(none)', [
              { path: [], message: `status ${status} is not declared for this route` },
            ]);
          return body;
        }
        if (d.kind === 'json') this.check(route, status, d.id, d.schema, wireForm(body));
        else if (d.kind === 'sse')
          this.check(
            route,
            status,
            d.id,
            d.schema,
            wireForm((body as MessageEvent | undefined)?.data),
          );
        return body;
      }),
    );
  }

  private check(route: string, status: number, id: string, schema: z.ZodType, body: unknown): void {
    const r = schema.safeParse(body);
    if (!r.success) this.fail(route, status, id, r.error.issues);
  }

  private fail(
    route: string,
    status: number,
    schemaId: string,
    issues: readonly { path: readonly PropertyKey[]; message: string; code?: string }[],
  ): never {
    const listed = issues
      .slice(0, MAX_ISSUES)
      .map((i) => ({ path: issuePath(i.path), message: i.message, code: i.code }));
    const more = issues.length > MAX_ISSUES ? ` (and ${issues.length - MAX_ISSUES} more)` : '';
    this.logger.error(
      { route, status, schema: schemaId, issues: listed, issueCount: issues.length },
      'response does not match its declared schema',
    );
    throw new ApiError(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'ResponseSchemaMismatch',
      `The response of ${route} (${status}) does not match its schema ${schemaId}: ${listed.map((i) => `${i.path}: ${i.message}`).join('; ')}${more}`,
    );
  }
}
