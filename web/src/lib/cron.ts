/**
 * A preview of when a schedule fires, in the browser: the next times of a cron expression (the
 * five standard fields, names and @aliases; Temporal reads them in UTC) or of an interval like
 * `15m` (Temporal aligns intervals to the Unix epoch). Expressions beyond that (seconds or year
 * fields, L, W, #) have no preview here: the server still checks them when the schedule is made.
 */

const ALIASES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  min: number;
  max: number;
  names?: string[];
  /** The first name stands for this number (months start at 1). */
  nameBase?: number;
}
const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { min: 0, max: 7, names: DAYS, nameBase: 0 },
];

/** The values a field allows, or undefined if it is not something this preview reads. */
function parseField(text: string, f: Field): Set<number> | undefined {
  const value = (s: string): number | undefined => {
    const i = f.names?.indexOf(s.toUpperCase()) ?? -1;
    if (i >= 0) return i + (f.nameBase ?? 0);
    return /^\d+$/.test(s) ? Number(s) : undefined;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const [, range = '', stepText] = m;
    const step = stepText ? Number(stepText) : 1;
    let lo: number | undefined = f.min;
    let hi: number | undefined = f.max;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      lo = value(a);
      hi = b === undefined ? (stepText ? f.max : lo) : value(b);
    }
    if (lo === undefined || hi === undefined || step < 1 || lo < f.min || hi > f.max || lo > hi)
      return undefined;
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
  const text = ALIASES[expression.trim().toLowerCase()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return undefined;
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]!));
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

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `15m` in milliseconds (the API's `every`: s, m, h or d), or undefined. */
export function parseEvery(every: string): number | undefined {
  const m = /^(\d{1,6})([smhd])$/.exec(every.trim());
  if (!m) return undefined;
  const unit = m[2];
  return unit === 's' || unit === 'm' || unit === 'h' || unit === 'd'
    ? Number(m[1]) * UNIT_MS[unit]
    : undefined;
}

/** The next `count` times of an interval schedule (aligned to the epoch, as Temporal does). */
export function nextEveryTimes(ms: number, from: Date, count: number): Date[] {
  const first = Math.floor(from.getTime() / ms) * ms + ms;
  return Array.from({ length: count }, (_, i) => new Date(first + i * ms));
}
