import { Reflector } from '@nestjs/core';
import type { EndpointClass } from './rate-limit-rules';

/**
 * The per-client rate-limit class of a route, on a controller class or a handler (the handler's
 * wins); without one a route is `default` (the per-IP budget alone).
 */
export const RateLimitClass = Reflector.createDecorator<EndpointClass>();
