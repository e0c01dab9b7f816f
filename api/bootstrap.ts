import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { correlationMiddleware } from './common/correlation.middleware';
import { ErrorFilter } from './common/error.filter';
import type { ApiDeps } from './core/api-deps';

/** Builds the HTTP app from its dependencies (the same code path for `npm run api` and tests). */
export async function createApiApp(deps: ApiDeps): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(deps), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(correlationMiddleware);
  app.useBodyParser('json', { limit: deps.config.env.MAX_REQUEST_SIZE });
  app.useBodyParser('urlencoded', { limit: deps.config.env.MAX_REQUEST_SIZE, extended: false });
  app.useGlobalFilters(new ErrorFilter(await app.resolve(PinoLogger)));
  app.enableShutdownHooks();

  const doc = new DocumentBuilder()
    .setTitle(`${deps.config.env.APP_NAME} - Backend API`)
    .setDescription('Durable, audited AI content generation on Temporal')
    .setVersion(deps.config.env.APP_VERSION)
    .build();
  const document = SwaggerModule.createDocument(app, doc);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return app;
}
