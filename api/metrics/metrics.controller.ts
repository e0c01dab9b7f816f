import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiMediaResponse } from '../http/openapi';
import { MetricsService } from './metrics.service';
import { Access } from '../http/auth/access.decorator';
import { RateLimitClass } from '../http/rate-limit/rate-limit-class.decorator';

@ApiTags('system')
@Access('user')
@RateLimitClass('health_status')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics: HTTP request count and latency by route, Node process metrics',
  })
  @ApiMediaResponse(
    200,
    'text/plain',
    'Prometheus text exposition format (text/plain; version=0.0.4)',
  )
  async get(@Res() res: Response): Promise<void> {
    const text = await this.metrics.metrics();
    // end(), not send(): Express would rewrite the content type's parameters.
    res.status(200).setHeader('Content-Type', this.metrics.registry.contentType);
    res.end(text);
  }
}
