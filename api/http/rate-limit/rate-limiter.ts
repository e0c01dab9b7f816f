import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppConfig } from '../../../common/config';
import type { Logger } from '../../../common/logger';
import { CONFIG } from '../../core/tokens';
import type { RateLimitDetails, RateLimitErrorBody } from '../../../common/schemas/error-responses';
import { currentRequestContextOrNull } from '../request-context-optional';
import { RouteTable } from '../routes/route-table';
import { checksFor, type CheckOutcome, mostRestrictive, WINDOW_MS } from './rate-limit-rules';

/** The one error envelope, with the original limiter's details object (common/schemas/error-responses.ts). */
export type { RateLimitDetails, RateLimitErrorBody };

export const RATE_LIMIT_LOGGER = Symbol('RATE_LIMIT_LOGGER');

type Decision =
  | { allowed: true; advertised: CheckOutcome }
  | { allowed: false; exceeded: CheckOutcome; retryAfter: number };

/**
 * Counts every request (docs, unknown routes and 4xx included) in @nestjs/throttler's
 * in-memory store. It runs as plain Express middleware rather than ThrottlerGuard because
 * guards only see matched Nest routes, while Swagger UI, ReDoc and 404s must be limited too,
 * and before the body parser, so a refused request costs no parsing.
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly storage: ThrottlerStorageService,
    @Inject(RATE_LIMIT_LOGGER) private readonly logger: Logger,
    /** The endpoint class of each request (`@RateLimitClass` beside the route). */
    private readonly routes: RouteTable,
  ) {}

  get enabled(): boolean {
    return this.config.env.RATE_LIMITING_ENABLED;
  }

  readonly middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    this.decide(req.method, req.path, req.ip ?? req.socket.remoteAddress ?? 'unknown').then(
      (d) => (d.allowed ? this.pass(d.advertised, res, next) : this.refuse(d, req, res)),
      // A broken counter must not take the API down: let the request through and say why.
      (err: unknown) => {
        this.logger.error({ err, ...correlation() }, 'rate limiter failed; request allowed');
        next();
      },
    );
  };

  async decide(method: string, path: string, clientIp: string): Promise<Decision> {
    const outcomes: CheckOutcome[] = [];
    const cls = this.routes.endpointClass(method, path);
    for (const check of checksFor(this.config.env, cls, clientIp)) {
      // blockDuration 0: a refused request is not counted, so a client that keeps retrying
      // is let in again as soon as its oldest request leaves the window.
      const r = await this.storage.increment(check.key, WINDOW_MS, check.limit, 0, check.type);
      const outcome = { check, hits: r.totalHits, resetInSeconds: r.timeToExpire };
      if (r.isBlocked)
        return { allowed: false, exceeded: outcome, retryAfter: Math.max(1, r.timeToBlockExpire) };
      outcomes.push(outcome);
    }
    return { allowed: true, advertised: mostRestrictive(outcomes) };
  }

  private pass(o: CheckOutcome, res: Response, next: NextFunction): void {
    setLimitHeaders(res, o.check.limit, Math.max(0, o.check.limit - o.hits), o.resetInSeconds);
    next();
  }

  private refuse(d: Extract<Decision, { allowed: false }>, req: Request, res: Response): void {
    const { check, hits } = d.exceeded;
    const message = `Too many requests. Try again in ${d.retryAfter} seconds.`;
    this.logger.warn(
      {
        ...correlation(),
        context: RateLimiter.name,
        method: req.method,
        path: req.path,
        limitType: check.type,
        limit: check.limit,
      },
      'rate limit exceeded',
    );
    setLimitHeaders(res, check.limit, 0, d.retryAfter);
    res.setHeader('Retry-After', String(d.retryAfter));
    const body: RateLimitErrorBody = {
      error: {
        type: 'RateLimitExceeded',
        message,
        code: 'RATE_LIMIT_EXCEEDED',
        details: {
          limit: check.limit,
          current: hits,
          window: '1 minute',
          reset_at: new Date(Date.now() + d.retryAfter * 1000).toISOString(),
          limit_type: check.type,
        },
      },
      detail: message,
    };
    res.status(this.config.env.RATE_LIMIT_RETURN_STATUS_CODE).json(body);
  }
}

/** The same request fields the HTTP logger adds (app.module.ts), which has not run yet. */
function correlation(): { requestId?: string; correlationId?: string } {
  const ctx = currentRequestContextOrNull();
  return ctx ? { requestId: ctx.requestId, correlationId: ctx.correlationId } : {};
}

function setLimitHeaders(
  res: Response,
  limit: number,
  remaining: number,
  resetInSeconds: number,
): void {
  res.setHeader('X-RateLimit-Limit', String(limit));
  res.setHeader('X-RateLimit-Remaining', String(remaining));
  // Epoch seconds, as the original sent it.
  res.setHeader(
    'X-RateLimit-Reset',
    String(Math.ceil(Date.now() / 1000) + Math.max(0, resetInSeconds)),
  );
}
