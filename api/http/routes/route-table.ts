import { pathToRegexp } from 'path-to-regexp';
import { hasDotSegment, normalisePath, type Role, roleWhenUnmatched } from '../auth/policy';
import type { EndpointClass } from '../rate-limit/rate-limit-rules';

/**
 * What the pre-routing middlewares (API-key auth, rate limiter) need to know about one route.
 * Nest routes get theirs from `@Access` / `@RateLimitClass` beside the handler (nest-routes.ts);
 * what Express serves outside Nest (Swagger UI, the web app, CORS preflights) is declared by the
 * code that mounts it.
 */
export interface RouteDeclaration {
  /** Upper case; `GET` covers `HEAD` too, as in Express. */
  methods: readonly string[] | '*';
  /** An Express (path-to-regexp 8) path as mounted: `/api/runs/:workflowId`, `/ui{/*rest}`. */
  path: string;
  access: Role;
  /** `default` when omitted. */
  limit?: EndpointClass;
  /** Who declared it, for messages: `StoriesController.create`, `Swagger UI`. */
  source: string;
}

interface CompiledRoute {
  route: RouteDeclaration;
  methods: ReadonlySet<string> | '*';
  regexp: RegExp;
}

const STRENGTH: Record<Role, number> = { public: 0, user: 1, admin: 2 };

/**
 * Express's own matching (router/lib/layer.js): path-to-regexp, case-insensitive, one optional
 * trailing slash, the route's own trailing slash ignored.
 */
export function compileRoutePath(path: string): RegExp {
  const loose = path === '/' ? path : path.replace(/\/+$/, '');
  return pathToRegexp(loose, { sensitive: false, end: true, trailing: true }).regexp;
}

function methodsOf(methods: RouteDeclaration['methods']): ReadonlySet<string> | '*' {
  if (methods === '*') return '*';
  const set = new Set(methods.map((m) => m.toUpperCase()));
  if (set.has('GET')) set.add('HEAD'); // Express answers HEAD with the GET handler
  return set;
}

/**
 * The role and rate-limit class of every request, looked up before routing (so 404s, docs and
 * static files are covered too). A path no route matches needs `user` to read and `admin`
 * otherwise, so route names are not probed for free. When several routes match, the strongest
 * role wins: no registration order to get wrong.
 */
export class RouteTable {
  private readonly routes: CompiledRoute[] = [];

  constructor(routes: readonly RouteDeclaration[] = []) {
    this.declare(...routes);
  }

  declare(...routes: RouteDeclaration[]): void {
    for (const route of routes) {
      this.routes.push({
        route,
        methods: methodsOf(route.methods),
        regexp: compileRoutePath(route.path),
      });
    }
  }

  /** Every declaration, in the order declared. */
  list(): readonly RouteDeclaration[] {
    return this.routes.map((r) => r.route);
  }

  /** The matching declaration with the strongest role (the first one among equals). */
  match(method: string, path: string): RouteDeclaration | undefined {
    const m = method.toUpperCase();
    const p = normalisePath(path);
    let best: RouteDeclaration | undefined;
    for (const r of this.routes) {
      if (r.methods !== '*' && !r.methods.has(m)) continue;
      if (!r.regexp.test(p)) continue;
      if (!best || STRENGTH[r.route.access] > STRENGTH[best.access]) best = r.route;
    }
    return best;
  }

  requiredRole(method: string, path: string): Role {
    const route = this.match(method, path);
    // `.`/`..` segments are never public: Express or a static server may resolve them elsewhere.
    if (!route || (route.access === 'public' && hasDotSegment(path)))
      return roleWhenUnmatched(method);
    return route.access;
  }

  endpointClass(method: string, path: string): EndpointClass {
    return this.match(method, path)?.limit ?? 'default';
  }
}
