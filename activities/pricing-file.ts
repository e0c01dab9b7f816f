import fs from 'node:fs';
import { z } from 'zod';
import { DEFAULT_PRICING_TABLE, mergePricingTables, type PricingTable } from '../common/pricing';

const decimalString = z
  .union([z.string().regex(/^\d+(\.\d+)?$/), z.number().nonnegative()])
  .transform(String);
const fileSchema = z.object({
  models: z.record(
    z.string(),
    z.object({
      input: decimalString,
      output: decimalString,
      /** Tokens per call, prompt + answer (the model card's context length). */
      contextWindow: z.number().int().min(256).optional(),
    }),
  ),
});

/** The built-in table, extended/overridden by PRICING_FILE (same JSON shape) when given. */
export function loadPricingTable(file?: string): PricingTable {
  if (!file) return DEFAULT_PRICING_TABLE;
  const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`PRICING_FILE ${file} is invalid: ${parsed.error.message}`);
  return mergePricingTables(DEFAULT_PRICING_TABLE, parsed.data.models);
}
