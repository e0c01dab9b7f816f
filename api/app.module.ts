import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { currentRequestContextOrNull } from './common/request-context-optional';
import type { ApiDeps } from './core/api-deps';
import { CoreModule } from './core/core.module';
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
              req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.split('?')[0] }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            customProps: () => {
              const c = currentRequestContextOrNull();
              return c ? { requestId: c.requestId, correlationId: c.transactionGuid } : {};
            },
            customSuccessMessage: (req, res, ms) => `${req.method} ${req.url?.split('?')[0]} ${res.statusCode} ${Math.round(ms)}ms`,
            customErrorMessage: (req, res) => `${req.method} ${req.url?.split('?')[0]} ${res.statusCode} failed`,
          },
        }),
        SystemModule,
        StoriesModule,
        RunsModule,
      ],
    };
  }
}
