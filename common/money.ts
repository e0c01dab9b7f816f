import Decimal from 'decimal.js';

/**
 * Money is decimal end to end (never float): costs are computed with decimal.js and carried
 * between processes as strings with six decimals, the precision of the database columns.
 */
export type Usd = string;

export const ZERO_USD: Usd = '0.000000';

export function usd(value: Decimal.Value): Usd {
  return new Decimal(value).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6);
}

export function addUsd(...values: Decimal.Value[]): Usd {
  return usd(values.reduce<Decimal>((acc, v) => acc.plus(v), new Decimal(0)));
}

export function usdToNumber(value: Decimal.Value | null | undefined): number {
  return value == null ? 0 : Number(new Decimal(value.toString()).toFixed(6));
}

export function compareUsd(a: Decimal.Value, b: Decimal.Value): number {
  return new Decimal(a).comparedTo(b);
}

/** a - b, or 0 when b is at least a (what exceeds a limit). */
export function excessUsd(a: Decimal.Value, b: Decimal.Value): Usd {
  return usd(Decimal.max(0, new Decimal(a).minus(b)));
}
