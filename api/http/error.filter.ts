import { randomUUID } from 'node:crypto';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import {
  cloudFixLine,
  describeProblem,
  fixCommands,
  type NamespaceTarget,
  temporalSetupProblemOf,
} from '../../temporal/namespace-contract';
import {
  ApiError,
  DATABASE_RETRY_AFTER_S,
  databaseUnavailableOf,
  type ErrorBody,
} from './api-error';
import type { AllowedMethods } from './method-not-allowed';

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'ValidationError',
  429: 'RateLimitExceeded',
  502: 'UpstreamError',
  503: 'ServiceUnavailable',
  504: 'UpstreamTimeout',
};

/** Nest's 404 for an unrouted request, and what a route's pipes answer (see methodNotAllowed). */
const ROUTE_REFUSALS = new Set<number>([
  HttpStatus.BAD_REQUEST,
  HttpStatus.NOT_FOUND,
  HttpStatus.UNPROCESSABLE_ENTITY,
]);

function codeOf(type: string): string {
  return type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/**
 * Every error leaves in one envelope. Caller mistakes keep their 4xx status (including those
 * raised by body parsing and multer, which are not HttpExceptions); anything unexpected is a
 * 500 with a generic message and an error id that appears in the log next to the stack.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: PinoLogger,
    /** The API's namespace, to name the fix when Temporal refuses a call for lack of set-up. */
    private readonly temporal?: Pick<NamespaceTarget, 'namespace' | 'retention' | 'cloud'>,
    /** The methods each documented path answers: an unrouted method there is a 405, not a 404. */
    private readonly allowedMethods?: AllowedMethods,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const errorId = `err_${randomUUID().slice(0, 8)}`;
    const allow = this.methodNotAllowed(exception, req);
    if (allow && !res.headersSent) {
      res.setHeader('Allow', allow.join(', '));
      const message = `${req.method} is not allowed on ${req.path}: use ${allow.join(', ')}`;
      res.status(405).json({
        error: { type: 'MethodNotAllowed', message, code: 'METHOD_NOT_ALLOWED' },
        detail: message,
      } satisfies ErrorBody);
      return;
    }
    const body = this.toBody(exception, errorId);
    const status = body.status;
    if (body.error.type === 'TemporalNotSetUp') {
      // Not a bug: the message already says what is missing and how to fix it.
      this.logger.warn(
        { errorId, path: req.path, problem: body.error.message },
        'request refused: Temporal namespace not set up',
      );
    } else if (status >= 500) {
      this.logger.error(
        { err: exception, errorId, path: req.path },
        'request failed with a server error',
      );
    }
    if (res.headersSent) return;
    if (body.retryAfterS !== undefined) res.setHeader('Retry-After', String(body.retryAfterS));
    res.status(status).json({ error: body.error, detail: body.error.message } satisfies ErrorBody);
  }

  /**
   * A method the document does not give this path, on a path it has: Nest's 404 when no route
   * took the request, or the refusal of a template route that did (POST /api/chat/conversations
   * reaches POST /api/chat/{framework}, whose pipes answer 400 or 404). Auth, limits and server
   * errors keep their own answer.
   */
  private methodNotAllowed(e: unknown, req: Request): string[] | undefined {
    if (!this.allowedMethods || !(e instanceof HttpException) || !ROUTE_REFUSALS.has(e.getStatus()))
      return undefined;
    const allow = this.allowedMethods(req.path);
    return allow.length > 0 && !allow.includes(req.method) ? allow : undefined;
  }

  private toBody(
    e: unknown,
    errorId: string,
  ): { status: number; error: ErrorBody['error']; retryAfterS?: number } {
    if (e instanceof ApiError) {
      return {
        status: e.getStatus(),
        error: {
          type: e.type,
          message: e.message,
          code: e.code,
          ...(e.details ? { error_id: `val_err_${errorId.slice(4)}`, details: e.details } : {}),
        },
      };
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const type = TYPE_BY_STATUS[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequest');
      const r = e.getResponse();
      let message =
        typeof r === 'string'
          ? r
          : typeof (r as { message?: unknown }).message === 'string'
            ? (r as { message: string }).message
            : e.message;
      if (Array.isArray((r as { message?: unknown }).message))
        message = (r as { message: string[] }).message.join('; ');
      if (status === 400 && /JSON|Unexpected token|position/i.test(message)) {
        message = `Malformed JSON in request body: ${message}`;
      }
      return {
        status,
        error: {
          type: status === 400 && /JSON/.test(message) ? 'MalformedJson' : type,
          message,
          code: codeOf(type),
        },
      };
    }
    const status =
      (e as { status?: unknown; statusCode?: unknown })?.status ??
      (e as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = TYPE_BY_STATUS[status] ?? 'BadRequest';
      return { status, error: { type, message: (e as Error).message, code: codeOf(type) } };
    }
    const setup = this.temporal && temporalSetupProblemOf(e);
    if (setup && this.temporal) {
      // The namespace lacks what Quillflow needs (an external cluster never set up): an
      // operator's fix, named, instead of a generic 500 (temporal/namespace-contract.ts).
      const t = this.temporal;
      const fix = [
        ...fixCommands([setup], t),
        ...(t.cloud ? [cloudFixLine([setup], t.namespace)] : []),
      ];
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        error: {
          type: 'TemporalNotSetUp',
          message:
            `Temporal is not set up for Quillflow: ${describeProblem(setup, t.namespace)}. ` +
            `Fix: ${fix.join(' ; ')} (GET /health/ready lists everything missing; error id ${errorId}).`,
          code: 'TEMPORAL_NOT_SET_UP',
        },
      };
    }
    const database = databaseUnavailableOf(e, errorId);
    if (database) {
      return {
        status: database.getStatus(),
        retryAfterS: DATABASE_RETRY_AFTER_S,
        error: { type: database.type, message: database.message, code: database.code },
      };
    }
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      error: {
        type: 'InternalServerError',
        message: `An unexpected error occurred (error id ${errorId})`,
        code: 'INTERNAL_ERROR',
      },
    };
  }
}
