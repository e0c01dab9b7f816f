/**
 * The API's OpenAPI document, built without servers: the Nest app is created (never initialised,
 * never listening) from stand-ins that are never called: config from defaults, a lazy Temporal
 * client that never dials, and a Prisma client for a throwaway SQLite file that is not opened
 * until a query runs (none does). Used by scripts/export-openapi.ts and its staleness spec.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Client, Connection } from '@temporalio/client';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppModule } from '../api/app.module';
import { buildOpenApiDocument } from '../api/bootstrap';
import { loadConfig, type AppConfig } from '../common/config';
import { createLogger } from '../common/logger';
import { createPrismaClient } from '../prisma/client';

/** Where `npm run web:api-types` writes the document (from the repository root). */
export const OPENAPI_JSON = path.join('web', 'src', 'api', 'openapi.json');

export async function exportedOpenApiDocument(): Promise<OpenAPIObject> {
  return withExportApp((app, config) => buildOpenApiDocument(app, config));
}

/** Builds the app from the stand-ins above, hands it to `use`, and closes it. */
export async function withExportApp<T>(
  use: (app: INestApplication, config: AppConfig) => T | Promise<T>,
): Promise<T> {
  const config = loadConfig({ LOG_FILE_PATH: '' });
  const logger = createLogger('openapi-export', {
    level: 'silent',
    pretty: false,
    filePath: '',
    rotationHours: 1,
    retentionDays: 1,
  });
  const prisma = createPrismaClient(
    `file:${path.join(os.tmpdir(), 'quillflow-openapi-export.db')}`,
  );
  const temporal = new Client({
    connection: Connection.lazy({ address: config.env.TEMPORAL_ADDRESS }),
  });
  const app = await NestFactory.create(AppModule.forRoot({ config, logger, prisma, temporal }), {
    logger: false,
    abortOnError: false,
  });
  try {
    return await use(app, config);
  } finally {
    await app.close();
    await prisma.$disconnect().catch(() => undefined);
  }
}

/** The file's text: what is written, and what the staleness spec compares. */
export const openApiJsonText = (document: OpenAPIObject): string =>
  `${JSON.stringify(document, null, 2)}\n`;
