import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../../common/config';
import { healthSchema, livenessSchema, readinessSchema, type Health } from '../../common/schemas/system-responses';
import { ApiZodResponse } from '../common/openapi';
import type { PrismaClient } from '../../prisma/client';
import { currentRequestContext } from '../common/request-context';
import { CONFIG, PRISMA, TEMPORAL } from '../core/tokens';
import { type Readiness, runChecks } from './readiness';

const startedAt = Date.now();
const CHECK_TIMEOUT_MS = 3000;

@ApiTags('system')
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
  @ApiOperation({ summary: 'Liveness probe: answers while the process can serve HTTP; checks nothing else' })
  @ApiZodResponse(200, livenessSchema, 'Alive')
  live() {
    return { status: 'alive', uptime_seconds: (Date.now() - startedAt) / 1000 };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness probe: the database answers a query and the Temporal frontend answers' })
  @ApiZodResponse(200, readinessSchema, 'Ready: every check is "ok"')
  @ApiZodResponse(503, readinessSchema, 'Not ready: status "not_ready"; each check is "ok", "failed" or "timeout"')
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    // The gRPC deadline ends the SDK's own retries before our timeout, so no call outlives the probe.
    const deadline = () => Date.now() + CHECK_TIMEOUT_MS - 500;
    const r = await runChecks(
      {
        database: () => this.prisma.$queryRaw`SELECT 1`,
        temporal: () => this.temporal.connection.withDeadline(deadline(), () => this.temporal.workflowService.getSystemInfo({})),
      },
      CHECK_TIMEOUT_MS,
      (check, err) => this.logger.warn({ check, err }, 'readiness check failed'),
    );
    if (r.status !== 'ready') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return r;
  }
}
