/**
 * The cron expressions `POST /api/schedules` accepts, as one regular expression: it is the zod
 * check and, through the schema, the OpenAPI `pattern`, so a client (or a fuzzer) that sends what
 * the pattern allows is never refused. It is the subset of Temporal's own cron syntax (the
 * server parses `ScheduleSpec.cronExpressions`) that every schedule needs: five fields, each a
 * list of `*`, a value or an ascending range, with an optional `/step`; or an @alias. Values are
 * in range by construction, and ranges ascend (`5-3` is refused), so Temporal never refuses a
 * matching expression (test/schedules.spec.ts creates a sample of them on a real server).
 * The web app's preview imports this file as it is (`@common/schemas/cron`): keep it import-free.
 */

/** The five fields in order, with the values Temporal accepts (day of week: 0 and 7 are Sunday). */
export const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

export const CRON_ALIASES = [
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@hourly',
] as const;

/** Steps: `/1` to `/99`. */
const STEP = '/[1-9][0-9]?';

/** The decimal integers lo..hi (0 <= lo <= hi <= 99), without leading zeros, as an alternation. */
export function intRangePattern(lo: number, hi: number): string {
  const parts: string[] = [];
  for (let tens = Math.floor(lo / 10); tens <= Math.floor(hi / 10); tens++) {
    const from = Math.max(lo, tens * 10) % 10;
    const to = Math.min(hi, tens * 10 + 9) % 10;
    const digit = from === to ? String(from) : `[${from}-${to}]`;
    parts.push(tens === 0 ? digit : `${tens}${digit}`);
  }
  return parts.join('|');
}

/** One list item of a field: `*`, `v` or `a-b` (a <= b), with an optional step. */
function itemPattern(min: number, max: number): string {
  const ranges = Array.from({ length: max - min + 1 }, (_, i) => min + i).map(
    (a) => `${a}-(?:${intRangePattern(a, max)})`,
  );
  return `(?:\\*|${ranges.join('|')}|${intRangePattern(min, max)})(?:${STEP})?`;
}

function fieldPattern(min: number, max: number): string {
  const item = itemPattern(min, max);
  return `${item}(?:,${item})*`;
}

export const CRON_PATTERN = `^(?:${CRON_ALIASES.join('|')}|${CRON_FIELDS.map((f) => fieldPattern(f.min, f.max)).join(' ')})$`;
export const CRON_REGEX = new RegExp(CRON_PATTERN);

/** What is wrong with an expression CRON_REGEX refused, naming the field, for the 422's message. */
export function describeCronProblem(expression: string): string {
  const fields = expression.split(' ');
  if (fields.length !== CRON_FIELDS.length) {
    return `cron must have ${CRON_FIELDS.length} fields separated by single spaces (minute hour day-of-month month day-of-week), or be one of ${CRON_ALIASES.join(', ')}`;
  }
  for (const [i, f] of CRON_FIELDS.entries()) {
    const field = fields[i] ?? ''; // (the web app type-checks this file with unchecked indexes)
    if (!new RegExp(`^${fieldPattern(f.min, f.max)}$`).test(field)) {
      return `cron ${f.name} "${field.slice(0, 20)}" must be *, a number from ${f.min} to ${f.max}, a range a-b (a <= b), or a list of them, each with an optional /step (1-99)`;
    }
  }
  return 'cron must be a cron expression (e.g. "0 * * * *") or @hourly, @daily, ...';
}
