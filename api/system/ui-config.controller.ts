import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '../../common/config';
import { uiConfigSchema, type UiConfig } from '../../common/schemas/system-responses';
import { ApiZodResponse } from '../http/openapi';
import { CONFIG } from '../core/tokens';
import { Access } from '../http/auth/access.decorator';

/** What the web app needs to know about its surroundings (e.g. where the Temporal Web UI is). */
@ApiTags('system')
@Access('user')
@Controller('api/ui-config')
export class UiConfigController {
  constructor(@Inject(CONFIG) private readonly config: AppConfig) {}

  @Get()
  @ApiOperation({ summary: 'Settings for the web app: Temporal Web UI address and namespace' })
  @ApiZodResponse(200, uiConfigSchema, 'The settings')
  get(): UiConfig {
    return {
      temporalUiUrl: this.config.env.TEMPORAL_UI_URL.replace(/\/+$/, ''),
      namespace: this.config.env.TEMPORAL_NAMESPACE,
    };
  }
}
