import 'reflect-metadata';
import {
  All,
  Controller,
  Delete,
  Get,
  Post,
  type Type,
  VersioningType,
  Version,
} from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { Access } from '../auth/access.decorator';
import { RateLimitClass } from '../rate-limit/rate-limit-class.decorator';
import { MissingAccessError, nestRouteDeclarations } from './nest-routes';

@Access('user')
@RateLimitClass('list_endpoints')
@Controller('api/things')
class ThingsController {
  @Get()
  list() {}

  @Access('admin')
  @Delete(':id')
  remove() {}

  @RateLimitClass('story_generation')
  @Post(['make', 'create'])
  make() {}

  helper() {}
}

@Controller()
class MixedController {
  @Access('public')
  @Get()
  home() {}

  @Get('forgotten')
  forgotten() {}

  @Access('admin')
  @All('anything')
  anything() {}
}

const config = () => new ApplicationConfig();
const summary = (c: ApplicationConfig, ...controllers: Type<unknown>[]) =>
  nestRouteDeclarations(
    controllers.map((metatype) => ({ metatype })),
    c,
  ).routes.map((r) => `${[r.methods].flat().join(',')} ${r.path} ${r.access} ${r.limit ?? '-'}`);

describe('nestRouteDeclarations', () => {
  it("reads each route's path, method, role and class; the handler's decorator wins", () => {
    expect(summary(config(), ThingsController)).toEqual([
      'GET /api/things user list_endpoints',
      'DELETE /api/things/:id admin list_endpoints',
      'POST /api/things/make user story_generation',
      'POST /api/things/create user story_generation',
    ]);
    expect(
      nestRouteDeclarations([{ metatype: ThingsController }], config()).routes[1]?.source,
    ).toBe('ThingsController.remove');
  });

  it('names every route without @Access, so the app refuses to start', () => {
    const { routes, unmarked } = nestRouteDeclarations([{ metatype: MixedController }], config());
    expect(routes.map((r) => [r.methods, r.path])).toEqual([
      [['GET'], '/'],
      ['*', '/anything'],
    ]);
    expect(unmarked).toEqual(['MixedController.forgotten (GET /forgotten)']);
    expect(new MissingAccessError(unmarked).message).toMatch(
      /@Access[\s\S]*MixedController\.forgotten \(GET \/forgotten\)/,
    );
  });

  it('applies the global prefix (and its exclusions), URI versions and module paths as Nest does', () => {
    const c = config();
    c.setGlobalPrefix('v');
    c.setGlobalPrefixOptions({ exclude: [] });
    expect(summary(c, ThingsController)[0]).toBe('GET /v/api/things user list_endpoints');

    @Access('user')
    @Controller({ path: 'versioned', version: '2' })
    class VersionedController {
      @Get()
      current() {}

      @Version('3')
      @Get('next')
      next() {}
    }
    const v = config();
    v.enableVersioning({ type: VersioningType.URI });
    expect(summary(v, VersionedController)).toEqual([
      'GET /v2/versioned user -',
      'GET /v3/versioned/next user -',
    ]);
    const m = nestRouteDeclarations([{ metatype: ThingsController, modulePath: '/mod' }], config())
      .routes[0];
    expect(m?.path).toBe('/mod/api/things');
  });

  it("uses the HTTP adapter's path normalisation", () => {
    const { routes } = nestRouteDeclarations([{ metatype: ThingsController }], config(), (p) =>
      p.toUpperCase(),
    );
    expect(routes[0]?.path).toBe('/API/THINGS');
  });
});
