import { z } from 'zod';
import { int, isoDateTime, named, usdNumber } from './response-fields';

/**
 * Cost analytics in the original's shapes: money as JSON numbers rounded to 6 decimals (summed
 * as decimals first), over stories, chat replies and completed context executions.
 */

export const COST_KINDS = ['story', 'chat', 'context'] as const;
export const costKindSchema = z.enum(COST_KINDS);
export type CostKind = z.infer<typeof costKindSchema>;

export const costSummarySchema = named(
  'CostSummary',
  z.strictObject({
    total_cost_usd: usdNumber,
    total_requests: int,
    total_tokens: int,
    average_cost_per_request: usdNumber,
    average_tokens_per_request: z.number(),
  }),
  'Totals and averages over the window',
);
export type CostSummary = z.infer<typeof costSummarySchema>;

const breakdownFields = {
  total_cost_usd: usdNumber,
  request_count: int,
  total_tokens: int,
  average_cost_per_request: usdNumber,
};
export const costBreakdownRowSchema = z.strictObject(breakdownFields);
export type CostBreakdownRow = z.infer<typeof costBreakdownRowSchema>;

export const costByMethodSchema = named(
  'CostByMethod',
  z.strictObject({ method: z.string(), ...breakdownFields }),
  'Cost of one framework (canonical name), most expensive first',
);
export type CostByMethod = z.infer<typeof costByMethodSchema>;

export const costByModelSchema = named(
  'CostByModel',
  z.strictObject({ model: z.string(), ...breakdownFields }),
  'Cost of one model, most expensive first',
);
export type CostByModel = z.infer<typeof costByModelSchema>;

export const costDailySchema = named(
  'CostDaily',
  z.strictObject({
    /** UTC calendar day, YYYY-MM-DD. */
    date: z.iso.date(),
    total_cost_usd: usdNumber,
    request_count: int,
    total_tokens: int,
  }),
  'One UTC day of the window (zero-filled)',
);
export type CostDaily = z.infer<typeof costDailySchema>;

export const costRecentRequestSchema = named(
  'CostRecentRequest',
  z.strictObject({
    id: int,
    type: costKindSchema,
    method: z.string(),
    model: z.string(),
    cost_usd: usdNumber,
    tokens_used: int,
    created_at: isoDateTime,
    primary_character: z.string().nullable(),
    conversation_title: z.string().nullable(),
  }),
  'One of the most expensive calls of the window',
);
export type CostRecentRequest = z.infer<typeof costRecentRequestSchema>;

export const costUsageSchema = named(
  'CostUsage',
  z.strictObject({
    summary: costSummarySchema,
    by_method: z.array(costByMethodSchema),
    by_model: z.array(costByModelSchema),
    daily_usage: z.array(costDailySchema),
    /** The five most expensive calls of each kind, merged, at most ten. */
    recent_requests: z.array(costRecentRequestSchema),
    /** `YYYY-MM-DD to YYYY-MM-DD`. */
    date_range: z.string(),
  }),
  'Cost usage over the window: summary, by framework, by model, by day, costliest calls',
);
export type CostUsage = z.infer<typeof costUsageSchema>;

export const costTransactionSchema = named(
  'CostTransaction',
  z.strictObject({
    id: int,
    type: costKindSchema,
    method: z.string(),
    model: z.string(),
    created_at: isoDateTime,
    transaction_guid: z.string().nullable(),
    request_id: z.string().nullable(),
    /** Stories: the primary character; context executions: the file name(s). */
    primary_character: z.string().nullable(),
    secondary_character: z.string().nullable(),
    conversation_title: z.string().nullable(),
    content_preview: z.string().nullable(),
    input_tokens: int.nullable(),
    output_tokens: int.nullable(),
    total_tokens: int.nullable(),
    estimated_cost_usd: usdNumber,
    generation_time_ms: z.number().nullable(),
  }),
  'One priced call',
);
export type CostTransaction = z.infer<typeof costTransactionSchema>;

export const costTransactionListSchema = named(
  'CostTransactionList',
  z.strictObject({
    transactions: z.array(costTransactionSchema),
    total_cost: usdNumber,
    transaction_count: int,
  }),
  'Every priced call of the window, newest first, with the total',
);
export type CostTransactionList = z.infer<typeof costTransactionListSchema>;
