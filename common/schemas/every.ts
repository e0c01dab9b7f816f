/**
 * A schedule's interval (`every`: `15m`), shared by the API and the web app's preview. The web
 * imports this file as it is (`@common/schemas/every`): keep it free of imports and Node APIs.
 */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** An interval of at least 10 s: up to six digits (no leading zero) and a unit; seconds need two digits. */
export const EVERY_REGEX = /^(?:[1-9][0-9]{1,5}s|[1-9][0-9]{0,5}[mhd])$/;

/** `15m` in milliseconds (digits and s, m, h or d), or undefined. */
export function parseEvery(every: string): number | undefined {
  const m = /^(\d{1,6})([smhd])$/.exec(every.trim());
  if (!m) return undefined;
  const unit = m[2];
  return unit === 's' || unit === 'm' || unit === 'h' || unit === 'd'
    ? Number(m[1]) * UNIT_MS[unit]
    : undefined;
}
