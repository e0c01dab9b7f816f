import type { INestApplication } from '@nestjs/common';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { FrameworkRegistry } from '../../activities';
import { defaultPromptsDir } from '../../activities/prompts';
import type { AppConfig } from '../../common/config';
import { createLogger, type Logger } from '../../common/logger';
import { DEFAULT_PRICING_TABLE } from '../../common/pricing';
import { createApiApp } from '../../api/bootstrap';
import type { PrismaClient } from '../../prisma/client';
import { createTestDatabase } from './test-db';
import { startSimulator, type Simulator } from '../../simulator/server';
import { connectTemporal, connectWorkerNative } from '../../temporal/connection';
import { createQuillflowWorker } from '../../workers/worker';
import { testTemporalAddress } from '../temporal-env';
import { testConfig } from './test-config';

// The SDK's own INFO logs (worker state changes, every failed attempt) drown test output.
try {
  Runtime.install({
    logger: new DefaultLogger((process.env.TEST_TEMPORAL_LOG_LEVEL as 'ERROR') ?? 'ERROR'),
  });
} catch {
  /* already installed by another suite in this worker */
}

export interface TestPlatform {
  baseUrl: string;
  config: AppConfig;
  prisma: PrismaClient;
  sim: Simulator;
  temporal: Awaited<ReturnType<typeof connectTemporal>>;
  app: INestApplication;
  worker: Worker;
  databaseUrl: string;
  close(): Promise<void>;
}

export function testDatabaseKind(): 'sqlite' | 'postgresql' {
  return process.env.QUILLFLOW_TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite';
}

/**
 * A whole Quillflow in this process, on real parts: the shared Temporal dev server, a fresh
 * database (SQLite or PostgreSQL per Jest project), the simulator over HTTP, a real worker and
 * the Nest app listening on an ephemeral port.
 */
export async function startTestPlatform(
  env: Record<string, string> = {},
  opts: {
    logger?: Logger;
    /** The worker's frameworks and the workflow bundle that knows them (test/fixtures/frameworks). */
    frameworks?: { registry: FrameworkRegistry; workflowBundlePath: string };
  } = {},
): Promise<TestPlatform> {
  const db = await createTestDatabase(testDatabaseKind());
  const sim = await startSimulator({ port: 0 });
  const taskQueue = `test-${randomUUID().slice(0, 8)}`;
  const config = testConfig({
    DATABASE_URL: db.url,
    PROVIDER_API_BASE_URL: sim.url,
    TEMPORAL_ADDRESS: testTemporalAddress(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...env,
  });
  const logger =
    opts.logger ??
    createLogger('test', {
      level: config.env.LOG_LEVEL,
      pretty: false,
      filePath: '',
      rotationHours: 1,
      retentionDays: 1,
    });
  const temporal = await connectTemporal({
    address: config.env.TEMPORAL_ADDRESS,
    namespace: 'default',
  });
  const native = await connectWorkerNative({ address: config.env.TEMPORAL_ADDRESS });
  const worker = await createQuillflowWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    workflowBundlePath:
      opts.frameworks?.workflowBundlePath ?? process.env.QUILLFLOW_TEST_WORKFLOW_BUNDLE,
    frameworks: opts.frameworks?.registry,
    deps: {
      prisma: db.prisma,
      config,
      logger,
      pricing: DEFAULT_PRICING_TABLE,
      promptsDir: defaultPromptsDir(),
    },
  });
  const running = worker.run();
  const app = await createApiApp({ config, logger, prisma: db.prisma, temporal: temporal.client });
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    baseUrl,
    config,
    prisma: db.prisma,
    sim,
    temporal,
    app,
    worker,
    databaseUrl: db.url,
    async close() {
      await app.close();
      worker.shutdown();
      await running;
      await native.close();
      await temporal.close();
      await sim.close();
      await db.drop();
    },
  };
}

/** fetch + JSON with the status, for readable assertions. */
export async function http(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- suites assert on arbitrary JSON shapes
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(body !== undefined && typeof body !== 'string'
        ? { 'content-type': 'application/json' }
        : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
