import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '../../common/config';
import { currentRequestContext } from '../common/request-context';
import { CONFIG } from '../core/tokens';

const startedAt = Date.now();

@ApiTags('system')
@Controller()
export class SystemController {
  constructor(@Inject(CONFIG) private readonly config: AppConfig) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness: the API process is up' })
  health() {
    return {
      status: 'healthy',
      timestamp: Date.now() / 1000,
      version: this.config.env.APP_VERSION,
      request_id: currentRequestContext().requestId,
      environment: this.config.env.DEBUG_MODE ? 'development' : 'production',
      uptime_seconds: (Date.now() - startedAt) / 1000,
    };
  }

  @Get('api/provider')
  @ApiOperation({ summary: 'The configured LLM provider (says so when the simulator stands in)' })
  provider() {
    const p = this.config.provider;
    return {
      provider: p.name,
      model: p.model,
      configured: !p.simulated,
      simulated: p.simulated,
      ...(p.simulated
        ? { warning: 'No provider configured: Quillflow is using its bundled LLM simulator. Set PROVIDER_API_KEY, PROVIDER_API_BASE_URL and PROVIDER_MODEL to use a real model.' }
        : {}),
    };
  }
}
