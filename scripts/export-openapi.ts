/**
 * Writes the API's OpenAPI document to web/src/api/openapi.json (for `npm run web:api-types`,
 * which then generates web/src/api/schema.d.ts with openapi-typescript).
 *
 * No servers: the Nest app is created (never initialised, never listening) from stand-ins that
 * are never called: config from defaults, a lazy Temporal client that never dials, and a Prisma
 * client for a throwaway SQLite file that is not opened until a query runs (none does).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppModule } from '../api/app.module';
import { buildOpenApiDocument } from '../api/bootstrap';
import { loadConfig } from '../common/config';
import { createLogger } from '../common/logger';
import { createPrismaClient } from '../prisma/client';

// npm scripts run from the repository root.
const OUT = path.resolve(process.cwd(), 'web', 'src', 'api', 'openapi.json');

async function main(): Promise<void> {
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
  const document = buildOpenApiDocument(app, config);
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
  console.log(
    `OpenAPI document (${Object.keys(document.paths).length} paths) written to ${path.relative(process.cwd(), OUT)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
