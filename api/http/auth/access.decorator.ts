import { Reflector } from '@nestjs/core';
import type { Role } from './policy';

/**
 * The role a route needs (docs/SECURITY.md), on a controller class or a handler; the handler's
 * wins. Every Nest route must have one: the app refuses to start otherwise (nest-routes.ts).
 */
export const Access = Reflector.createDecorator<Role>();
