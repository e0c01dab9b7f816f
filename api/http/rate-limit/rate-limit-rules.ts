/**
 * The original's configurable limiter design (REFERENCE §6.4), which it never wired in: every
 * request counts against a server-wide budget and its client's budget, and some endpoint
 * classes have a tighter per-client budget of their own. All windows are one minute. A route's
 * class sits beside it (`@RateLimitClass`, or where it is mounted; api/http/routes/).
 */
export type EndpointClass = 'story_generation' | 'list_endpoints' | 'health_status' | 'default';
export type LimitType = 'global' | 'per_ip' | Exclude<EndpointClass, 'default'>;

export interface RateLimitSettings {
  RATE_LIMIT_GLOBAL_SERVER: number;
  RATE_LIMIT_PER_IP: number;
  RATE_LIMIT_STORY_GENERATION: number;
  RATE_LIMIT_LIST_ENDPOINTS: number;
  RATE_LIMIT_HEALTH_STATUS: number;
}

export interface RateLimitCheck {
  type: LimitType;
  /** Storage key: one counter per limit type and client (one for the whole server for `global`). */
  key: string;
  limit: number;
}

export const WINDOW_MS = 60_000;

/** The checks for one request, in the order they are applied (the first one exceeded answers). */
export function checksFor(
  s: RateLimitSettings,
  cls: EndpointClass,
  clientIp: string,
): RateLimitCheck[] {
  const checks: RateLimitCheck[] = [
    { type: 'global', key: 'global', limit: s.RATE_LIMIT_GLOBAL_SERVER },
    { type: 'per_ip', key: `per_ip:${clientIp}`, limit: s.RATE_LIMIT_PER_IP },
  ];
  const classLimit: Record<Exclude<EndpointClass, 'default'>, number> = {
    story_generation: s.RATE_LIMIT_STORY_GENERATION,
    list_endpoints: s.RATE_LIMIT_LIST_ENDPOINTS,
    health_status: s.RATE_LIMIT_HEALTH_STATUS,
  };
  // `default` endpoints are limited by the per-IP budget alone, as in the original.
  if (cls !== 'default')
    checks.push({ type: cls, key: `${cls}:${clientIp}`, limit: classLimit[cls] });
  return checks;
}

export interface CheckOutcome {
  check: RateLimitCheck;
  /** Requests counted in the window, this one included. */
  hits: number;
  /** Seconds until the window's counter resets. */
  resetInSeconds: number;
}

/** The outcome to advertise on a successful response: the budget closest to running out. */
export function mostRestrictive(outcomes: readonly CheckOutcome[]): CheckOutcome {
  const remaining = (o: CheckOutcome) => Math.max(0, o.check.limit - o.hits);
  return outcomes.reduce((best, o) =>
    remaining(o) < remaining(best) ||
    (remaining(o) === remaining(best) && o.check.limit < best.check.limit)
      ? o
      : best,
  );
}
