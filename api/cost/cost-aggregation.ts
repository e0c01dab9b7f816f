import Decimal from 'decimal.js';
import { normalizeFramework } from '../../common/frameworks';
import type {
  CostByMethod,
  CostByModel,
  CostDaily,
  CostKind,
  CostRecentRequest,
  CostSummary,
  CostTransactionList,
  CostUsage,
} from '../../common/schemas/cost-responses';
import type { CostRange } from '../../common/schemas/cost';

/**
 * Cost analytics over every priced call (stories, chat assistant turns, completed context
 * executions), as plain functions of the rows so they can be tested without a database.
 * Money is summed with Decimal (SQLite hands decimals back through REAL) and rounded to 6 dp
 * only when it leaves as a JSON number, the original's wire format.
 */
export type { CostKind };

export interface CostRecord {
  id: number;
  type: CostKind;
  /** As stored; canonicalised (semantic-kernel = semantic_kernel) when grouped or shown. */
  method: string;
  model: string | null;
  cost: Decimal;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  createdAt: Date;
  correlationId: string | null;
  requestId: string | null;
  primaryCharacter: string | null;
  secondaryCharacter: string | null;
  conversationTitle: string | null;
  /** Story text, assistant message or LLM response; only loaded for transactions. */
  content: string | null;
  generationTimeMs: number | null;
}

export interface CostWindow {
  start: Date;
  end: Date;
  dateRange: string;
}

const DAY_MS = 86_400_000;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const money = (d: Decimal) => d.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toNumber();
const tokensOf = (r: CostRecord) => r.totalTokens ?? 0;

/** `?days=`: the last `days` days up to now (the original's rolling window). */
export function costWindow(days: number, now: Date = new Date()): CostWindow {
  const start = new Date(now.getTime() - days * DAY_MS);
  return { start, end: now, dateRange: `${isoDate(start)} to ${isoDate(now)}` };
}

/**
 * `?from=&to=`: whole UTC days, both included: from `from` 00:00:00.000Z to the last
 * millisecond of `to` (the bounds are inclusive: loadCostRecords uses gte/lte).
 */
export function costDayRangeWindow(from: string, to: string): CostWindow {
  const start = new Date(`${from}T00:00:00.000Z`);
  const end = new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS - 1);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start > end) {
    throw new RangeError(`not a day range: ${from} to ${to}`);
  }
  return { start, end, dateRange: `${from} to ${to}` };
}

/** The window a validated cost query asks for. */
export function costWindowFor(range: CostRange, now: Date = new Date()): CostWindow {
  return 'days' in range ? costWindow(range.days, now) : costDayRangeWindow(range.from, range.to);
}

export function canonicalMethod(method: string): string {
  return normalizeFramework(method) ?? method;
}

const sumCost = (rs: CostRecord[]) => rs.reduce((acc, r) => acc.plus(r.cost), new Decimal(0));

export function costSummary(records: CostRecord[]): CostSummary {
  const total = sumCost(records);
  const tokens = records.reduce((n, r) => n + tokensOf(r), 0);
  const n = records.length;
  return {
    total_cost_usd: money(total),
    total_requests: n,
    total_tokens: tokens,
    average_cost_per_request: n > 0 ? money(total.div(n)) : 0,
    average_tokens_per_request: n > 0 ? Math.round((tokens / n) * 100) / 100 : 0,
  };
}

interface Group {
  cost: Decimal;
  count: number;
  tokens: number;
}

function groupBy(records: CostRecord[], key: (r: CostRecord) => string | null): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const r of records) {
    const k = key(r);
    if (k === null) continue;
    const g = groups.get(k) ?? { cost: new Decimal(0), count: 0, tokens: 0 };
    g.cost = g.cost.plus(r.cost);
    g.count += 1;
    g.tokens += tokensOf(r);
    groups.set(k, g);
  }
  return groups;
}

/** Most expensive first; equal costs by name so the order is stable. */
function breakdown(groups: Map<string, Group>) {
  return [...groups.entries()]
    .sort(([ka, a], [kb, b]) => b.cost.comparedTo(a.cost) || ka.localeCompare(kb))
    .map(([key, g]) => ({
      key,
      total_cost_usd: money(g.cost),
      request_count: g.count,
      total_tokens: g.tokens,
      average_cost_per_request: money(g.cost.div(g.count)),
    }));
}

/** One row per framework, whichever spelling each table stored. */
export function costByMethod(records: CostRecord[]): CostByMethod[] {
  return breakdown(groupBy(records, (r) => canonicalMethod(r.method))).map(({ key, ...g }) => ({
    method: key,
    ...g,
  }));
}

/** Rows without a model are left out, as in the original. */
export function costByModel(records: CostRecord[]): CostByModel[] {
  return breakdown(groupBy(records, (r) => r.model)).map(({ key, ...g }) => ({ model: key, ...g }));
}

/**
 * One entry per UTC calendar day the window touches, oldest first, zero-filled: the whole
 * window (the original stopped at 14 days and left context executions out).
 */
export function dailyUsage(
  records: CostRecord[],
  window: Pick<CostWindow, 'start' | 'end'>,
): CostDaily[] {
  const byDay = groupBy(records, (r) => isoDate(r.createdAt));
  const out: CostDaily[] = [];
  const last = isoDate(window.end);
  for (let t = Date.parse(isoDate(window.start)); ; t += DAY_MS) {
    const date = isoDate(new Date(t));
    const g = byDay.get(date);
    out.push({
      date,
      total_cost_usd: g ? money(g.cost) : 0,
      request_count: g?.count ?? 0,
      total_tokens: g?.tokens ?? 0,
    });
    if (date >= last) break;
  }
  return out;
}

const byCostDesc = (a: CostRecord, b: CostRecord) =>
  b.cost.comparedTo(a.cost) || b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id;

/** The five most expensive of each kind, merged, most expensive first, at most ten. */
export function recentRequests(records: CostRecord[]): CostRecentRequest[] {
  const kinds: CostKind[] = ['story', 'chat', 'context'];
  return kinds
    .flatMap((k) =>
      records
        .filter((r) => r.type === k)
        .sort(byCostDesc)
        .slice(0, 5),
    )
    .sort(byCostDesc)
    .slice(0, 10)
    .map((r) => ({
      id: r.id,
      type: r.type,
      method: canonicalMethod(r.method),
      model: r.model ?? 'unknown',
      cost_usd: money(r.cost),
      tokens_used: tokensOf(r),
      created_at: r.createdAt.toISOString(),
      primary_character: r.primaryCharacter,
      conversation_title: r.conversationTitle,
    }));
}

export function preview(text: string | null, max = 100): string | null {
  if (text === null) return null;
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/** Every priced call, newest first, with the total. */
export function transactions(records: CostRecord[]): CostTransactionList {
  const sorted = [...records].sort(
    (a, b) =>
      b.createdAt.getTime() - a.createdAt.getTime() || a.type.localeCompare(b.type) || b.id - a.id,
  );
  return {
    transactions: sorted.map((r) => ({
      id: r.id,
      type: r.type,
      method: canonicalMethod(r.method),
      model: r.model ?? 'unknown',
      created_at: r.createdAt.toISOString(),
      transaction_guid: r.correlationId,
      request_id: r.requestId,
      primary_character: r.primaryCharacter,
      secondary_character: r.secondaryCharacter,
      conversation_title: r.conversationTitle,
      content_preview: preview(r.content),
      input_tokens: r.inputTokens,
      output_tokens: r.outputTokens,
      total_tokens: r.totalTokens,
      estimated_cost_usd: money(r.cost),
      generation_time_ms: r.generationTimeMs,
    })),
    total_cost: money(sumCost(records)),
    transaction_count: records.length,
  };
}

export function costUsage(records: CostRecord[], window: CostWindow): CostUsage {
  return {
    summary: costSummary(records),
    by_method: costByMethod(records),
    by_model: costByModel(records),
    daily_usage: dailyUsage(records, window),
    recent_requests: recentRequests(records),
    date_range: window.dateRange,
  };
}
