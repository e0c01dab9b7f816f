import { CRON_ALIASES, CRON_FIELDS } from '@common/schemas/cron';

/**
 * A preview of when a schedule fires, in the browser: the next times of a cron expression (the
 * fields and @aliases the API accepts, common/schemas/cron.ts; Temporal reads them in UTC) or of
 * an interval (`15m`, read by common/schemas/every.ts; Temporal aligns intervals to the epoch).
 */

type CronAlias = (typeof CRON_ALIASES)[number];
/** What each alias the API accepts stands for (a missing or extra alias does not compile). */
const ALIASES: Record<CronAlias, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The values a field allows, or undefined if it is not something this preview reads. */
function parseField(text: string, f: { min: number; max: number }): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const [, range = '', stepText] = m;
    const step = stepText ? Number(stepText) : 1;
    let lo = f.min;
    let hi = f.max;
    if (range !== '*') {
      const [a, b] = range.split('-');
      lo = Number(a);
      hi = b === undefined ? (stepText ? f.max : lo) : Number(b);
    }
    if (step < 1 || lo < f.min || hi > f.max || lo > hi) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export interface CronSpec {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Standard cron: when both day fields are restricted, a day matching either fires. */
  dayOr: boolean;
}

export function parseCron(expression: string): CronSpec | undefined {
  const alias = CRON_ALIASES.find((a) => a === expression.trim());
  const text = alias ? ALIASES[alias] : expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== CRON_FIELDS.length) return undefined;
  const sets = CRON_FIELDS.map((f, i) => parseField(parts[i] ?? '', f));
  const [minutes, hours, days, months, weekdays] = sets;
  if (!minutes || !hours || !days || !months || !weekdays) return undefined;
  // 7 is Sunday too.
  if (weekdays.delete(7)) weekdays.add(0);
  return { minutes, hours, days, months, weekdays, dayOr: parts[2] !== '*' && parts[4] !== '*' };
}

/** The next `count` fire times after `from` (UTC), within the next five years. */
export function nextCronTimes(spec: CronSpec, from: Date, count: number): Date[] {
  const out: Date[] = [];
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  const hours = [...spec.hours].sort((a, b) => a - b);
  const minutes = [...spec.minutes].sort((a, b) => a - b);
  for (let d = 0; d < 5 * 366 && out.length < count; d++) {
    const date = new Date(day.getTime() + d * 86_400_000);
    if (!spec.months.has(date.getUTCMonth() + 1)) continue;
    const dom = spec.days.has(date.getUTCDate());
    const dow = spec.weekdays.has(date.getUTCDay());
    if (spec.dayOr ? !(dom || dow) : !(dom && dow)) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const t = new Date(date.getTime() + h * 3_600_000 + m * 60_000);
        if (t > from && out.length < count) out.push(t);
      }
    }
  }
  return out;
}

/** The next `count` times of an interval schedule (aligned to the epoch, as Temporal does). */
export function nextEveryTimes(ms: number, from: Date, count: number): Date[] {
  const first = Math.floor(from.getTime() / ms) * ms + ms;
  return Array.from({ length: count }, (_, i) => new Date(first + i * ms));
}
