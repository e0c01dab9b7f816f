import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../common/config';
import { AppModule } from './app.module';
import { apiKeyAuth } from './http/auth/auth.middleware';
import { correlationMiddleware } from './http/correlation.middleware';
import { jsonBodyErrors, requestBodyType } from './http/content-type.middleware';
import { CORS_PREFLIGHT, corsOptions } from './http/cors';
import { serveApiDocs } from './http/api-docs';
import { RouteTable } from './http/routes/route-table';
import { RateLimiter } from './http/rate-limit/rate-limiter';
import { securityHeaders } from './http/security-headers';
import { ErrorFilter } from './http/error.filter';
import { nulGuard } from './http/nul-guard.middleware';
import { allowedMethods } from './http/method-not-allowed';
import { withResponseSchemas } from './http/openapi';
import { ResponseValidationInterceptor } from './http/response-validation.interceptor';
import { MetricsService } from './metrics/metrics.service';
import type { ApiDeps } from './core/api-deps';
import { serveWebApp } from './web-app';
import { isTemporalCloud } from '../temporal/namespace-contract';

/** Builds the HTTP app from its dependencies (the same code path for `npm run api` and tests). */
export async function createApiApp(deps: ApiDeps): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(deps), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  keepIdleConnectionsOpen(app.getHttpServer());
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.env.TRUST_PROXY);
  app.use(app.get(MetricsService).middleware); // first: counts what later middleware answers (401, 413, 429) too
  app.use(correlationMiddleware);
  // Before anything that can answer, so 404s, 413s and 429s carry them too.
  app.use(securityHeaders);
  // Each request's role and rate-limit class: Nest routes add theirs (@Access, @RateLimitClass)
  // at init; what is mounted outside Nest is declared where it is mounted, below.
  const routes = app.get(RouteTable);
  app.enableCors(corsOptions(deps.config.env.CORS_ORIGINS));
  routes.declare(CORS_PREFLIGHT);
  const limiter = app.get(RateLimiter);
  if (limiter.enabled) app.use(limiter.middleware);
  // After the limiter (key guessing is rate limited too), before any body is parsed.
  app.use(apiKeyAuth(deps.config.env, deps.logger, routes));
  // JSON in UTF-8 only (and multipart on the upload route): anything else is a 415 here.
  app.use(requestBodyType);
  app.useBodyParser('json', { limit: deps.config.env.MAX_REQUEST_SIZE });
  app.use(jsonBodyErrors);
  app.use(nulGuard);
  const document = buildOpenApiDocument(app, deps.config);
  app.useGlobalFilters(
    new ErrorFilter(
      await app.resolve(PinoLogger),
      {
        namespace: deps.config.env.TEMPORAL_NAMESPACE,
        retention: deps.config.env.TEMPORAL_NAMESPACE_RETENTION,
        cloud: isTemporalCloud({
          address: deps.config.env.TEMPORAL_ADDRESS,
          apiKey: deps.config.env.TEMPORAL_API_KEY,
        }),
      },
      allowedMethods(document),
    ),
  );
  if (deps.config.env.QUILLFLOW_VALIDATE_RESPONSES)
    app.useGlobalInterceptors(new ResponseValidationInterceptor(deps.logger));
  app.enableShutdownHooks();

  serveWebApp(app, routes);
  serveApiDocs(app, document, routes);
  return app;
}

/**
 * Idle keep-alive connections stay open longer than a load balancer's (60 s is the common
 * default), so the proxy or the client, not the API, closes them. A server that closes an idle
 * socket races the client's next request on it, which then fails with ECONNRESET: Node's 5 s
 * default did that to a burst of fetch() calls in CI. headersTimeout must exceed it.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

function keepIdleConnectionsOpen(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
}

/** The OpenAPI document of the app (also exported for the web client's types: scripts/export-openapi.ts). */
export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(`${config.env.APP_NAME} - Backend API`)
    .setDescription('Durable, audited AI content generation on Temporal')
    .setVersion(config.env.APP_VERSION)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'bearer');
  // Either scheme, but only when API_KEYS / ADMIN_API_KEYS are set (docs/SECURITY.md): without
  // keys every route is open, and a document that required a key would say otherwise.
  if (config.env.API_KEYS.length > 0 || config.env.ADMIN_API_KEYS.length > 0) {
    builder.addSecurityRequirements('api-key').addSecurityRequirements('bearer');
  }
  const doc = builder.build();
  // Response bodies and the error envelope come from the zod schemas (api/http/openapi.ts).
  return withResponseSchemas(
    SwaggerModule.createDocument(app, doc),
    config.env.RATE_LIMIT_RETURN_STATUS_CODE,
  );
}
