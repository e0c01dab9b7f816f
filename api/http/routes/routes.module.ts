import { Injectable, Module, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { MODULE_PATH } from '@nestjs/common/constants';
import {
  ApplicationConfig,
  DiscoveryModule,
  DiscoveryService,
  HttpAdapterHost,
  ModulesContainer,
} from '@nestjs/core';
import { MissingAccessError, nestRouteDeclarations } from './nest-routes';
import { RouteTable } from './route-table';

const isClass = (m: unknown): m is Type<unknown> => typeof m === 'function';

/**
 * Adds every Nest route to the app's RouteTable once routing is set up (global prefix and
 * versioning included), and refuses to start when a route has no `@Access`.
 */
@Injectable()
export class NestRoutesLoader implements OnApplicationBootstrap {
  constructor(
    private readonly table: RouteTable,
    private readonly discovery: DiscoveryService,
    private readonly modules: ModulesContainer,
    private readonly config: ApplicationConfig,
    private readonly adapter: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    const controllers = this.discovery.getControllers().flatMap((w) => {
      const metatype = w.metatype;
      if (!isClass(metatype)) return [];
      const modulePath = Reflect.getMetadata(
        MODULE_PATH + this.modules.applicationId,
        w.host?.metatype ?? Object,
      ) as string | undefined;
      return [{ metatype, modulePath }];
    });
    // None in an application context without HTTP (the MCP stdio server): nothing is routed.
    const http = this.adapter.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    if (!http) return;
    const { routes, unmarked } = nestRouteDeclarations(controllers, this.config, (p) =>
      http.normalizePath ? http.normalizePath(p) : p,
    );
    if (unmarked.length > 0) throw new MissingAccessError(unmarked);
    this.table.declare(...routes);
  }
}

/** The app's one RouteTable (api/http/routes/route-table.ts), read by auth and the rate limiter. */
@Module({
  imports: [DiscoveryModule],
  providers: [{ provide: RouteTable, useFactory: () => new RouteTable() }, NestRoutesLoader],
  exports: [RouteTable],
})
export class RoutesModule {}
