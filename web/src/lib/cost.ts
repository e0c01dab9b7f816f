import type { Transaction } from '../api/types';

const DAY_MS = 86_400_000;

/** The API's longest from..to range, both days included. */
export const MAX_RANGE_DAYS = 366;

/** `YYYY-MM-DD` of the UTC day (the cost routes count whole UTC days). */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Days from `start` to `end` (YYYY-MM-DD), both included; NaN when either is not a date. */
export function daysInRange(start: string, end: string): number {
  return (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS + 1;
}

/** What the description column says for each kind of call. */
export function describeTransaction(t: Transaction): string {
  if (t.type === 'story')
    return [t.primary_character, t.secondary_character].filter(Boolean).join(' & ');
  if (t.type === 'chat') return t.conversation_title ?? t.content_preview ?? '';
  return t.primary_character ?? t.content_preview ?? '';
}
