import { z } from 'zod';

/** Longest `from`..`to` range, both days included (a leap year). */
export const MAX_COST_RANGE_DAYS = 366;
/** Default of `days` when neither `days` nor `from`/`to` is sent. */
export const DEFAULT_COST_DAYS = 30;

const DAY_MS = 86_400_000;
const isoDay = (label: string) =>
  z.iso.date({ error: `${label} must be a date, YYYY-MM-DD (a whole UTC day)` });

/** Days from `from` to `to`, both included (both valid YYYY-MM-DD). */
export const daysInRange = (from: string, to: string) =>
  (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;

/**
 * The window of the cost analytics routes: either `?days=` (the last N days up to now, the
 * original's rolling window; 1..365, default 30) or `?from=&to=` (whole UTC days, both
 * included, at most 366 days), never both.
 */
export const costQuerySchema = z
  .object({
    days: z.coerce
      .number({ error: 'days must be a whole number from 1 to 365' })
      .int({ error: 'days must be a whole number from 1 to 365' })
      .min(1, { error: 'days must be at least 1' })
      .max(365, { error: 'days must be at most 365' })
      .describe(
        `The last N days up to now, 1-365 (default ${DEFAULT_COST_DAYS} when from/to are not sent); not with from/to`,
      )
      .optional(),
    from: isoDay('from')
      .describe('First day of the range, YYYY-MM-DD (UTC, included); with to, not with days')
      .optional(),
    to: isoDay('to')
      .describe(
        `Last day of the range, YYYY-MM-DD (UTC, included); from..to spans at most ${MAX_COST_RANGE_DAYS} days; with from, not with days`,
      )
      .optional(),
  })
  .superRefine(
    (q, ctx) => {
      const range = q.from !== undefined || q.to !== undefined;
      if (q.days !== undefined && range) {
        ctx.addIssue({
          code: 'custom',
          path: ['days'],
          message:
            'days cannot be combined with from/to: send either days (the last N days up to now) or from and to (whole UTC days, YYYY-MM-DD)',
        });
        return;
      }
      if (!range) return;
      if (q.from === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['from'],
          message: 'from is required with to: send both from and to (YYYY-MM-DD), or days alone',
        });
        return;
      }
      if (q.to === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: 'to is required with from: send both from and to (YYYY-MM-DD), or days alone',
        });
        return;
      }
      if (q.from > q.to) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `to must not be before from (${q.from})`,
        });
        return;
      }
      if (daysInRange(q.from, q.to) > MAX_COST_RANGE_DAYS) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `the range from ${q.from} to ${q.to} is ${daysInRange(q.from, q.to)} days; at most ${MAX_COST_RANGE_DAYS} are allowed`,
        });
      }
    },
    { when: (payload) => payload.issues.length === 0 },
  ); // only once each field is valid
export type CostQuery = z.output<typeof costQuerySchema>;

/** What a valid CostQuery asks for. */
export type CostRange = { days: number } | { from: string; to: string };

export function costRangeOf(q: CostQuery): CostRange {
  return q.from !== undefined && q.to !== undefined
    ? { from: q.from, to: q.to }
    : { days: q.days ?? DEFAULT_COST_DAYS };
}
