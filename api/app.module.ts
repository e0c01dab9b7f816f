import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { currentRequestContextOrNull } from './http/request-context-optional';
import { ChatModule } from './chat/chat.module';
import type { ApiDeps } from './core/api-deps';
import { ContextModule } from './context/context.module';
import { CoreModule } from './core/core.module';
import { McpModule } from '../mcp/mcp.module';
import { CostModule } from './cost/cost.module';
import { LogsModule } from './logs/logs.module';
import { MetricsModule } from './metrics/metrics.module';
import { RateLimitModule } from './http/rate-limit/rate-limit.module';
import { AuditModule } from './audit/audit.module';
import { BatchesModule } from './batches/batches.module';
import { SchedulesModule } from './schedules/schedules.module';
import { RunsModule } from './runs/runs.module';
import { StoriesModule } from './stories/stories.module';
import { SystemModule } from './system/system.module';

@Module({})
export class AppModule {
  static forRoot(deps: ApiDeps): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(deps),
        LoggerModule.forRoot({
          pinoHttp: {
            logger: deps.logger,
            genReqId: (_req, res) => String(res.getHeader('X-Request-ID') ?? ''),
            // Method, path and status only: bodies (prompts, chat text) never reach the logs.
            serializers: {
              req: (req: { method: string; url: string }) => ({
                method: req.method,
                url: req.url.split('?')[0],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            customProps: () => {
              const c = currentRequestContextOrNull();
              return c ? { requestId: c.requestId, correlationId: c.correlationId } : {};
            },
            customSuccessMessage: (req, res, ms) =>
              `${req.method} ${req.url?.split('?')[0]} ${res.statusCode} ${Math.round(ms)}ms`,
            customErrorMessage: (req, res) =>
              `${req.method} ${req.url?.split('?')[0]} ${res.statusCode} failed`,
          },
        }),
        RateLimitModule.forRoot(deps.logger),
        SystemModule,
        MetricsModule,
        LogsModule,
        StoriesModule,
        RunsModule,
        BatchesModule,
        AuditModule,
        SchedulesModule,
        ChatModule,
        ContextModule,
        CostModule,
        McpModule,
      ],
    };
  }
}
