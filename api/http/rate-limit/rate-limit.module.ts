import { type DynamicModule, Module } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { Logger } from '../../../common/logger';
import { RoutesModule } from '../routes/routes.module';
import { RATE_LIMIT_LOGGER, RateLimiter } from './rate-limiter';

/** Owns the counters, so the app's shutdown hooks stop the store's sweep timer. */
@Module({})
export class RateLimitModule {
  /**
   * The limiter answers before nestjs-pino's per-request logger exists, and PinoLogger's
   * fallback is whichever logger the process configured first; so it gets the app's own.
   */
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: RateLimitModule,
      // The route table is the app's (auth reads it too): exported on, so bootstrap can reach it.
      imports: [RoutesModule],
      providers: [
        ThrottlerStorageService,
        RateLimiter,
        { provide: RATE_LIMIT_LOGGER, useValue: logger },
      ],
      exports: [RateLimiter, RoutesModule],
    };
  }
}
