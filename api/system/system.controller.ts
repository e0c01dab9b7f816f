import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '../../common/config';
import {
  mcpStatusSchema,
  providerInfoSchema,
  type McpStatus,
  type ProviderInfo,
} from '../../common/schemas/system-responses';
import { ApiZodResponse } from '../http/openapi';
import { CONFIG } from '../core/tokens';
import { FAVICON_SVG, renderLandingPage } from './landing-page';
import { Access } from '../http/auth/access.decorator';

@ApiTags('system')
@Controller()
export class SystemController {
  constructor(@Inject(CONFIG) private readonly config: AppConfig) {}

  @Access('public')
  @Get()
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  landing(): string {
    const { env, provider } = this.config;
    return renderLandingPage({
      appName: env.APP_NAME,
      version: env.APP_VERSION,
      environment: env.DEBUG_MODE ? 'development' : 'production',
      providerName: provider.name,
      model: provider.model,
      simulated: provider.simulated,
      temporalUiUrl: env.TEMPORAL_UI_URL,
      webUiUrl: env.WEB_UI_URL,
    });
  }

  @Access('public')
  @Get('favicon.ico')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'image/svg+xml')
  @Header('Cache-Control', 'public, max-age=86400')
  favicon(): string {
    return FAVICON_SVG;
  }

  @Access('user')
  @Get('api/provider')
  @ApiOperation({ summary: 'The configured LLM provider (says so when the simulator stands in)' })
  @ApiZodResponse(200, providerInfoSchema, 'The provider and model')
  provider(): ProviderInfo {
    const p = this.config.provider;
    return {
      provider: p.name,
      model: p.model,
      configured: !p.simulated,
      simulated: p.simulated,
      ...(p.simulated
        ? {
            warning:
              'No provider configured: Quillflow is using its bundled LLM simulator. Set PROVIDER_API_KEY, PROVIDER_API_BASE_URL and PROVIDER_MODEL to use a real model.',
          }
        : {}),
    };
  }

  @Access('user')
  @Get('api/mcp-status')
  @ApiOperation({
    summary:
      'How to reach the MCP server: Streamable HTTP at /mcp in this process, or stdio via `npm run mcp`',
  })
  @ApiZodResponse(200, mcpStatusSchema, 'MCP transports and how to use them')
  mcpStatus(): McpStatus {
    const base = this.config.env.PUBLIC_URL?.replace(/\/+$/, '');
    return {
      mcp_available: true,
      transports: ['stdio', 'streamable-http'],
      http_endpoint: '/mcp',
      ...(base ? { http_url: `${base}/mcp` } : {}),
      stdio_command: 'npm run mcp',
      // The original's field names, for clients that read them.
      standalone_command: 'npm run mcp',
      mcp_server_info:
        'The MCP server is served by the API at /mcp (Streamable HTTP) and runs over stdio with `npm run mcp`.',
      message:
        'MCP is available: connect an MCP client to /mcp, or launch `npm run mcp` as a stdio server.',
    };
  }
}
