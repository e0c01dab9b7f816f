import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, VERSION_METADATA } from '@nestjs/common/constants';
import type { VersionValue } from '@nestjs/common/interfaces';
import { type ApplicationConfig, MetadataScanner, Reflector } from '@nestjs/core';
import { RoutePathFactory } from '@nestjs/core/router/route-path-factory';
import { Access } from '../auth/access.decorator';
import { RateLimitClass } from '../rate-limit/rate-limit-class.decorator';
import type { RouteDeclaration } from './route-table';

export interface ControllerRoutesSource {
  metatype: Type<unknown>;
  /** RouterModule's path for the controller's module, if any. */
  modulePath?: string;
}

export interface NestRoutes {
  routes: RouteDeclaration[];
  /** `Controller.method (GET /path)` of every route with no `@Access` on it or its class. */
  unmarked: string[];
}

function asArray(v: string | string[] | undefined, fallback: string): string[] {
  if (v === undefined) return [fallback];
  return (Array.isArray(v) ? v : [v]).map((p) => (p.startsWith('/') ? p : `/${p}`));
}

/**
 * The route declarations of Nest controllers, read from the same metadata Nest routes with
 * (PATH_METADATA, METHOD_METADATA, versions, global prefix through Nest's RoutePathFactory), with
 * `@Access` / `@RateLimitClass` from the handler or else its class. `normalizePath` is the HTTP
 * adapter's own (Express: converts legacy wildcards), so paths are the ones Express matches.
 */
export function nestRouteDeclarations(
  controllers: readonly ControllerRoutesSource[],
  config: ApplicationConfig,
  normalizePath: (path: string) => string = (p) => p,
): NestRoutes {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const paths = new RoutePathFactory(config);
  const routes: RouteDeclaration[] = [];
  const unmarked: string[] = [];
  for (const { metatype, modulePath } of controllers) {
    const prototype: unknown = metatype.prototype;
    if (typeof prototype !== 'object' || prototype === null) continue;
    const ctrlPaths = asArray(
      Reflect.getMetadata(PATH_METADATA, metatype) as string | string[] | undefined,
      '/',
    );
    const controllerVersion = Reflect.getMetadata(VERSION_METADATA, metatype) as
      VersionValue | undefined;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler: unknown = Reflect.get(prototype, name);
      if (typeof handler !== 'function') continue;
      const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as
        string | string[] | undefined;
      if (methodPath === undefined) continue; // not a route
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
      const methodVersion = Reflect.getMetadata(VERSION_METADATA, handler) as
        VersionValue | undefined;
      const access = reflector.getAllAndOverride(Access, [handler, metatype]);
      const limit = reflector.getAllAndOverride(RateLimitClass, [handler, metatype]);
      const verb = RequestMethod[requestMethod];
      const source = `${metatype.name}.${name}`;
      for (const ctrlPath of ctrlPaths) {
        for (const mPath of asArray(methodPath, '/')) {
          const full = paths.create(
            {
              ctrlPath,
              methodPath: mPath,
              modulePath,
              globalPrefix: config.getGlobalPrefix(),
              controllerVersion,
              methodVersion,
              versioningOptions: config.getVersioning(),
            },
            requestMethod,
          );
          for (const p of full) {
            if (access === undefined) {
              unmarked.push(`${source} (${verb} ${p})`);
              continue;
            }
            routes.push({
              methods: requestMethod === RequestMethod.ALL ? '*' : [verb],
              path: normalizePath(p),
              access,
              limit,
              source,
            });
          }
        }
      }
    }
  }
  return { routes, unmarked };
}

export class MissingAccessError extends Error {
  constructor(readonly unmarked: string[]) {
    super(
      `Every route needs @Access('public' | 'user' | 'admin') on its handler or controller ` +
        `(api/http/auth/access.decorator.ts, docs/SECURITY.md); missing on:\n` +
        unmarked.map((u) => `  ${u}`).join('\n'),
    );
    this.name = 'MissingAccessError';
  }
}
