import type { CostBreakdownRow, CostSummary, CostUsage, Transaction } from '../api/types';
import { frameworkInfo } from './frameworks';

const DAY_MS = 86_400_000;

/** The API's window is "the last N days up to now": N must reach back to the start date. */
export function daysSince(startDay: string, now = new Date()): number {
  const start = new Date(`${startDay}T00:00:00`);
  if (Number.isNaN(start.getTime())) return 7;
  return Math.min(365, Math.max(1, Math.ceil((now.getTime() - start.getTime()) / DAY_MS)));
}

/** Local calendar day of an ISO timestamp. */
function localDay(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function inRange(t: Transaction, startDay: string, endDay: string): boolean {
  const day = localDay(t.created_at);
  return day >= startDay && day <= endDay;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

function group(
  ts: Transaction[],
  key: (t: Transaction) => string | null,
): (CostBreakdownRow & { key: string })[] {
  const m = new Map<string, { cost: number; count: number; tokens: number }>();
  for (const t of ts) {
    const k = key(t);
    if (!k) continue;
    const g = m.get(k) ?? { cost: 0, count: 0, tokens: 0 };
    g.cost += t.estimated_cost_usd;
    g.count += 1;
    g.tokens += t.total_tokens ?? 0;
    m.set(k, g);
  }
  return [...m.entries()]
    .map(([k, g]) => ({
      key: k,
      total_cost_usd: round6(g.cost),
      request_count: g.count,
      total_tokens: g.tokens,
      average_cost_per_request: round6(g.cost / g.count),
    }))
    .sort((a, b) => b.total_cost_usd - a.total_cost_usd);
}

/** The usage report for an arbitrary [start, end] range, from its transactions (end before today). */
export function usageFromTransactions(
  ts: Transaction[],
  startDay: string,
  endDay: string,
): CostUsage {
  const total = ts.reduce((s, t) => s + t.estimated_cost_usd, 0);
  const tokens = ts.reduce((s, t) => s + (t.total_tokens ?? 0), 0);
  const summary: CostSummary = {
    total_cost_usd: round6(total),
    total_requests: ts.length,
    total_tokens: tokens,
    average_cost_per_request: ts.length ? round6(total / ts.length) : 0,
    average_tokens_per_request: ts.length ? Math.round((tokens / ts.length) * 100) / 100 : 0,
  };
  const byDay = new Map(group(ts, (t) => localDay(t.created_at)).map((g) => [g.key, g]));
  const daily: CostUsage['daily_usage'] = [];
  for (
    let d = new Date(`${startDay}T12:00:00`);
    localDay(d.toISOString()) <= endDay && daily.length < 400;
    d = new Date(d.getTime() + DAY_MS)
  ) {
    const day = localDay(d.toISOString());
    const g = byDay.get(day);
    daily.push({
      date: day,
      total_cost_usd: g?.total_cost_usd ?? 0,
      request_count: g?.request_count ?? 0,
      total_tokens: g?.total_tokens ?? 0,
    });
  }
  return {
    summary,
    by_method: group(ts, (t) => frameworkInfo(t.method)?.id ?? t.method).map(({ key, ...g }) => ({
      method: key,
      ...g,
    })),
    by_model: group(ts, (t) => t.model).map(({ key, ...g }) => ({ model: key, ...g })),
    daily_usage: daily,
    // The costliest calls are only reported by the API for its own window.
    recent_requests: [],
    date_range: `${startDay} to ${endDay}`,
  };
}

/** What the description column says for each kind of call. */
export function describeTransaction(t: Transaction): string {
  if (t.type === 'story')
    return [t.primary_character, t.secondary_character].filter(Boolean).join(' & ');
  if (t.type === 'chat') return t.conversation_title ?? t.content_preview ?? '';
  return t.primary_character ?? t.content_preview ?? '';
}
