/** Safe formatting: bad or missing values render as an em dash, never "Invalid Date" or NaN. */
const DASH = '—';

function toDate(v: string | number | Date | null | undefined): Date | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function formatDateTime(v: string | number | Date | null | undefined): string {
  const d = toDate(v);
  return d ? d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : DASH;
}

/** With seconds, for log lines. */
export function formatDateTimeSeconds(v: string | number | Date | null | undefined): string {
  const d = toDate(v);
  return d ? d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : DASH;
}

export function formatDate(v: string | number | Date | null | undefined): string {
  const d = toDate(v);
  return d ? d.toLocaleDateString(undefined, { dateStyle: 'medium' }) : DASH;
}

export function formatTime(v: string | number | Date | null | undefined): string {
  const d = toDate(v);
  return d ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : DASH;
}

function toNumber(v: number | string | null | undefined): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** USD with 6 decimals (the API's precision). */
export function formatUsd(v: number | string | null | undefined, decimals = 6): string {
  const n = toNumber(v);
  return n === undefined ? DASH : `$${n.toFixed(decimals)}`;
}

export function formatNumber(v: number | string | null | undefined): string {
  const n = toNumber(v);
  return n === undefined ? DASH : n.toLocaleString();
}

export function formatMs(v: number | string | null | undefined): string {
  const n = toNumber(v);
  if (n === undefined) return DASH;
  if (n < 1000) return `${Math.round(n)} ms`;
  if (n < 60_000) return `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(n / 60_000);
  return `${m} min ${Math.round((n % 60_000) / 1000)} s`;
}

export function durationBetween(
  start: string | null | undefined,
  end: string | null | undefined,
): string {
  const a = toDate(start);
  const b = toDate(end ?? undefined) ?? (a ? new Date() : undefined);
  return a && b ? formatMs(b.getTime() - a.getTime()) : DASH;
}

export function kb(bytes: number | null | undefined): string {
  const n = toNumber(bytes);
  return n === undefined ? DASH : `${(n / 1024).toFixed(1)} KB`;
}

export function truncate(s: string | null | undefined, max: number): string {
  if (!s) return '';
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
