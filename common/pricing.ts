import Decimal from 'decimal.js';
import { usd, type Usd } from './money';
import defaultTable from './pricing-table.json';

export interface ModelRate {
  input: string;
  output: string;
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

export function mergePricingTables(base: PricingTable, override: PricingTable): PricingTable {
  return { ...base, ...override };
}
