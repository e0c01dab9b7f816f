import type { LogEntry } from '../api/types';

/** The levels the log API filters on (the original's names; pino's `warn` counts as warning). */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export const PER_PAGE_CHOICES = [25, 50, 100, 200] as const;
export const DEFAULT_PER_PAGE = 50;
/** The original viewer refreshed every 30 s. */
export const AUTO_REFRESH_MS = 30_000;

/** Fields every entry has, shown in its header; the others become key=value badges. */
const FIXED_FIELDS = new Set(['timestamp', 'level', 'logger', 'event', 'line_number', 'raw_line']);
const MAX_BADGES = 14;
const MAX_BADGE_VALUE = 80;

/** Up to 14 `key=value` badges of an entry's other fields, each value cut to 80 characters. */
export function extraFields(entry: LogEntry): string[] {
  return Object.keys(entry)
    .filter((k) => !FIXED_FIELDS.has(k))
    .slice(0, MAX_BADGES)
    .map((k) => {
      const v = entry[k];
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      return `${k}=${text.length > MAX_BADGE_VALUE ? `${text.slice(0, MAX_BADGE_VALUE - 1)}…` : text}`;
    });
}

/** The entry without its raw line, for the JSON view. */
export function entryJson(entry: LogEntry): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([k]) => k !== 'raw_line'));
}

/** Page numbers to show: the first, the last and two either side of the current; 0 = a gap. */
export function pageList(current: number, total: number): number[] {
  const pages: number[] = [];
  for (let i = 1; i <= total; i++) {
    if (i === 1 || i === total || Math.abs(i - current) <= 2) pages.push(i);
    else if (pages[pages.length - 1] !== 0) pages.push(0);
  }
  return pages;
}

/** Errors and warnings among the entries of one page (the original's stats bar counts these). */
export function levelCounts(entries: readonly LogEntry[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const e of entries) {
    if (e.level === 'error' || e.level === 'critical') errors++;
    else if (e.level === 'warning') warnings++;
  }
  return { errors, warnings };
}
