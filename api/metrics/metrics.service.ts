import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { WEB_APP_PATH } from '../web-app';

const CATCH_ALL = /^\/?(\{\*\w*\}|\*|\(\.\*\))$/;

/**
 * The route label of a request: the matched route's pattern (`/api/stories/:id`), never the
 * raw path, so IDs do not become label values. Unmatched requests collapse into a few values.
 */
export function routeLabel(
  req: Pick<Request, 'baseUrl' | 'originalUrl'> & { route?: { path?: unknown } },
): string {
  const pattern = req.route?.path;
  // A bare catch-all is a middleware mounted for every path (Nest's forRoutes('*')), not a route.
  if (typeof pattern === 'string' && !CATCH_ALL.test(pattern))
    return `${req.baseUrl ?? ''}${pattern}` || '/';
  const path = (req.originalUrl ?? '').split('?')[0];
  if (path === WEB_APP_PATH || path.startsWith(`${WEB_APP_PATH}/`)) return `${WEB_APP_PATH}/*`;
  return 'unmatched';
}

/**
 * The API's Prometheus registry: Node process metrics and HTTP request count and latency by
 * method, route pattern and status. One registry per app instance (tests run several).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'quillflow_http_requests_total',
    help: 'HTTP requests answered by the API',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'quillflow_http_request_duration_seconds',
    help: 'HTTP request latency (until the response finished; SSE streams excluded)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor() {
    this.registry.setDefaultLabels({ service: 'api' });
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Express middleware, mounted first (api/bootstrap.ts) so that answers given before routing
   * (rate limit 429, body too large 413, unknown routes 404) are counted too.
   */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      const labels = { method: req.method, route: routeLabel(req), status: String(res.statusCode) };
      this.requests.inc(labels);
      const type = res.getHeader('content-type');
      if (!(typeof type === 'string' && type.startsWith('text/event-stream'))) {
        this.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      }
    };
    res.once('finish', record);
    res.once('close', record); // client went away before the end (e.g. an SSE stream closed)
    next();
  };

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
