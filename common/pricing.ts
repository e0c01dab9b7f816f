import Decimal from 'decimal.js';
import { usd, type Usd } from './money';
import defaultTable from './pricing-table.json';

export interface ModelRate {
  input: string;
  output: string;
  /** Tokens the model takes in one call, prompt and answer together; absent = DEFAULT_CONTEXT_WINDOW. */
  contextWindow?: number;
}
export type PricingTable = Record<string, ModelRate>;

export interface Pricing {
  inputCostPer1k: Usd;
  outputCostPer1k: Usd;
  inputCostUsd: Usd;
  outputCostUsd: Usd;
  costUsd: Usd;
  /** false when the model is not in the table (priced as free, as the original did). */
  known: boolean;
}

export const DEFAULT_PRICING_TABLE: PricingTable = defaultTable.models;

/** Exact model-id match; an unknown model costs 0 and the caller logs a warning. */
export function priceUsage(
  table: PricingTable,
  model: string,
  inputTokens: number,
  outputTokens: number,
): Pricing {
  const rate = table[model];
  const inRate = new Decimal(rate?.input ?? 0);
  const outRate = new Decimal(rate?.output ?? 0);
  const inCost = inRate.mul(inputTokens).div(1000);
  const outCost = outRate.mul(outputTokens).div(1000);
  return {
    inputCostPer1k: usd(inRate),
    outputCostPer1k: usd(outRate),
    inputCostUsd: usd(inCost),
    outputCostUsd: usd(outCost),
    costUsd: usd(inCost.plus(outCost)),
    known: rate !== undefined,
  };
}

/** The model's context window from the table, or `fallback` (DEFAULT_CONTEXT_WINDOW) when it has none. */
export function contextWindowOf(
  table: PricingTable,
  model: string,
  fallback: number,
): { tokens: number; fromTable: boolean } {
  const w = Object.prototype.hasOwnProperty.call(table, model)
    ? table[model].contextWindow
    : undefined;
  return w === undefined ? { tokens: fallback, fromTable: false } : { tokens: w, fromTable: true };
}

/** Per model: an override of the prices alone keeps the built-in context window. */
export function mergePricingTables(base: PricingTable, override: PricingTable): PricingTable {
  const merged: PricingTable = { ...base };
  for (const [model, rate] of Object.entries(override)) merged[model] = { ...base[model], ...rate };
  return merged;
}
