import type { INestApplication } from '@nestjs/common';
import { Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import type { AppConfig } from '../../common/config';
import { createLogger, type Logger, REDACT_PATHS } from '../../common/logger';
import { createApiApp } from '../../api/bootstrap';
import type { PrismaClient } from '../../prisma/client';
import { createTestDatabase } from './test-db';
import { connectTemporal } from '../../temporal/connection';
import { testDatabaseKind } from './platform';
import { testConfig } from './test-config';
import { testTemporalAddress } from '../temporal-env';

export interface ApiOnly {
  baseUrl: string;
  config: AppConfig;
  prisma: PrismaClient;
  app: INestApplication;
  close(): Promise<void>;
}

export interface ApiOnlyOptions {
  logger?: Logger;
  /** Replaces the fresh test database (e.g. one that was dropped, for readiness failures). */
  prisma?: PrismaClient;
  /** Replaces the client of the shared Temporal dev server. */
  temporal?: Client;
}

/**
 * Just the HTTP API on real parts (a fresh database, the shared Temporal server), without a
 * worker or simulator: for suites about HTTP behaviour that start no workflow (system routes,
 * logs, rate limiting). Starts in about a second, so suites can afford one per configuration.
 */
export async function startApiOnly(
  env: Record<string, string> = {},
  opts: ApiOnlyOptions = {},
): Promise<ApiOnly> {
  const db = opts.prisma ? undefined : await createTestDatabase(testDatabaseKind());
  const prisma = opts.prisma ?? db!.prisma;
  const config = testConfig({
    DATABASE_URL: db?.url ?? 'file:/nonexistent/unused.db',
    TEMPORAL_ADDRESS: testTemporalAddress(),
    // Nothing here calls the model; the address only has to be well-formed.
    PROVIDER_API_BASE_URL: 'http://127.0.0.1:9/v1',
    ...env,
  });
  const temporal = opts.temporal
    ? undefined
    : await connectTemporal({ address: config.env.TEMPORAL_ADDRESS, namespace: 'default' });
  const logger =
    opts.logger ??
    createLogger('test', {
      level: config.env.LOG_LEVEL,
      pretty: false,
      filePath: '',
      rotationHours: 1,
      retentionDays: 1,
    });
  const app = await createApiApp({
    config,
    logger,
    prisma,
    temporal: opts.temporal ?? temporal!.client,
  });
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    baseUrl,
    config,
    prisma,
    app,
    async close() {
      await app.close();
      await temporal?.close();
      await db?.drop();
    },
  };
}

/** A logger like the platform's (same redaction, level labels, ISO time) that keeps its lines in memory. */
export function captureLogger(level = 'debug'): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
  clear: () => void;
} {
  let buffer: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      buffer.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = pino(
    {
      name: 'test',
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  return {
    logger,
    lines: () => buffer.map((l) => JSON.parse(l) as Record<string, unknown>),
    clear: () => {
      buffer = [];
    },
  };
}
