import { type DynamicModule, Global, Module } from '@nestjs/common';
import { pausingWrites } from '../../prisma/pausing-writes';
import type { ApiDeps } from './api-deps';
import { RequestBounds } from './request-bounds.service';
import { CONFIG, PRISMA, TEMPORAL } from './tokens';
import { WorkflowStarter } from './workflow-starter';

@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: ApiDeps): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CONFIG, useValue: deps.config },
        { provide: PRISMA, useValue: pausingWrites(deps.prisma) },
        { provide: TEMPORAL, useValue: deps.temporal },
        WorkflowStarter,
        RequestBounds,
      ],
      exports: [CONFIG, PRISMA, TEMPORAL, WorkflowStarter, RequestBounds],
    };
  }
}
