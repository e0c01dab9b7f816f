import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../../common/config';
import {
  healthSchema,
  livenessSchema,
  readinessSchema,
  type Health,
} from '../../common/schemas/system-responses';
import { ApiZodResponse } from '../http/openapi';
import type { PrismaClient } from '../../prisma/client';
import { currentRequestContext } from '../http/request-context';
import { CONFIG, PRISMA, TEMPORAL } from '../core/tokens';
import { type Readiness, runChecks } from './readiness';
import { grpcCode } from '../../temporal/connection';
import {
  cloudFixLine,
  describeProblem,
  fixCommands,
  inspectNamespace,
  isTemporalCloud,
  type SetupProblem,
} from '../../temporal/namespace-contract';
import { Access } from '../http/auth/access.decorator';
import { RateLimitClass } from '../http/rate-limit/rate-limit-class.decorator';

const startedAt = Date.now();
const CHECK_TIMEOUT_MS = 3000;
/** A good namespace set-up is asked again at most this often (probes come every few seconds; attributes are seldom removed). */
const SETUP_OK_CACHE_MS = 30_000;
const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNIMPLEMENTED = 12;

class NamespaceNotSetUp extends Error {
  override name = 'NamespaceNotSetUp';
  constructor(readonly problems: SetupProblem[]) {
    super(`${problems.length} namespace set-up problem(s)`);
  }
}

@ApiTags('system')
@Access('public')
@RateLimitClass('health_status')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(TEMPORAL) private readonly temporal: Client,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(HealthController.name);
  }

  private setupOkUntil = 0;
  private setupUnverifiableLogged = false;

  /** temporal_setup: one ListSearchAttributes call; throws NamespaceNotSetUp naming what is missing. */
  private async checkNamespaceSetup(deadlineMs: number): Promise<void> {
    if (Date.now() < this.setupOkUntil) return;
    const namespace = this.config.env.TEMPORAL_NAMESPACE;
    let problems: SetupProblem[];
    try {
      problems = await inspectNamespace(this.temporal.connection, namespace, deadlineMs);
    } catch (err) {
      const code = grpcCode(err);
      if (code !== GRPC_PERMISSION_DENIED && code !== GRPC_UNIMPLEMENTED) throw err;
      // A key that may not list attributes (some Cloud roles) proves nothing missing; a start
      // that Temporal refuses still answers 503 TemporalNotSetUp naming the attribute.
      if (!this.setupUnverifiableLogged)
        this.logger.warn({ err }, 'temporal_setup cannot be checked with this key; reported ok');
      this.setupUnverifiableLogged = true;
      problems = [];
    }
    if (problems.length) throw new NamespaceNotSetUp(problems);
    this.setupOkUntil = Date.now() + SETUP_OK_CACHE_MS;
  }

  @Get()
  @ApiOperation({ summary: 'The API process is up (the original /health: no dependency checks)' })
  @ApiZodResponse(200, healthSchema, 'Up')
  health(): Health {
    return {
      status: 'healthy',
      timestamp: Date.now() / 1000,
      version: this.config.env.APP_VERSION,
      request_id: currentRequestContext().requestId,
      environment: this.config.env.DEBUG_MODE ? 'development' : 'production',
      uptime_seconds: (Date.now() - startedAt) / 1000,
    };
  }

  @Get('live')
  @ApiOperation({
    summary: 'Liveness probe: answers while the process can serve HTTP; checks nothing else',
  })
  @ApiZodResponse(200, livenessSchema, 'Alive')
  live() {
    return { status: 'alive', uptime_seconds: (Date.now() - startedAt) / 1000 };
  }

  @Get('ready')
  @ApiOperation({
    summary:
      "Readiness probe: the database answers a query, the Temporal frontend answers, and the namespace has Quillflow's search attributes",
  })
  @ApiZodResponse(200, readinessSchema, 'Ready: every check is "ok"')
  @ApiZodResponse(
    503,
    readinessSchema,
    'Not ready: status "not_ready"; each check is "ok", "failed" or "timeout"',
  )
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    // The gRPC deadline ends the SDK's own retries before our timeout, so no call outlives the probe.
    const deadline = () => Date.now() + CHECK_TIMEOUT_MS - 500;
    let setup: SetupProblem[] | undefined;
    const r = await runChecks(
      {
        database: () => this.prisma.$queryRaw`SELECT 1`,
        temporal: () =>
          this.temporal.connection.withDeadline(deadline(), () =>
            this.temporal.workflowService.getSystemInfo({}),
          ),
        temporal_setup: () => this.checkNamespaceSetup(CHECK_TIMEOUT_MS - 500),
      },
      CHECK_TIMEOUT_MS,
      (check, err) => {
        if (err instanceof NamespaceNotSetUp) setup = err.problems;
        this.logger.warn({ check, err }, 'readiness check failed');
      },
    );
    if (r.status !== 'ready') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    if (!setup) return r;
    // Namespace and commands only: no address, no key (the answer is public).
    const env = this.config.env;
    const target = {
      namespace: env.TEMPORAL_NAMESPACE,
      retention: env.TEMPORAL_NAMESPACE_RETENTION,
    };
    const cloud = isTemporalCloud({ address: env.TEMPORAL_ADDRESS, apiKey: env.TEMPORAL_API_KEY });
    const problems = setup;
    return {
      ...r,
      problems: problems.map((p) => describeProblem(p, target.namespace)),
      fix: [
        ...fixCommands(problems, target),
        ...(cloud ? [cloudFixLine(problems, target.namespace)] : []),
      ],
    };
  }
}
