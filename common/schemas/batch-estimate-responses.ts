import { z } from 'zod';
import { FRAMEWORKS } from '../frameworks';
import { int, named, usdString } from './response-fields';

/**
 * What `POST /api/batches` with `dryRun: true` (and the MCP `start_batch` tool with `dryRun`)
 * answers: what the batch would cost, without starting or writing anything. Expected figures
 * are the pricing table's price of the tokens an item is expected to use: measured in the audit
 * trail (`history`) when it holds enough successful calls of that framework and model, else
 * counted from the prompts with a typical answer length (`pricing`). The worst case is the
 * batch budget's own bound (every call the framework can make, each answering MAX_TOKENS).
 */

const tokensAndCost = z.strictObject({
  inputTokens: int,
  outputTokens: int,
  totalTokens: int,
  costUsd: usdString,
});

export const ESTIMATE_SOURCES = ['history', 'pricing'] as const;
export type EstimateSource = (typeof ESTIMATE_SOURCES)[number];

export const batchEstimateFrameworkSchema = named(
  'BatchEstimateFramework',
  z.strictObject({
    framework: z.enum(FRAMEWORKS),
    items: int,
    /** `history`: mean tokens of this framework and model measured in llm_call_attempts; `pricing`: the prompts counted with the tokenizer and a typical answer. */
    source: z.enum(ESTIMATE_SOURCES),
    /** Successful calls of this framework and model the history figures were measured on (0 = none used). */
    historyAttempts: int,
    /** Finished items (stories) those calls belong to. */
    historyItems: int,
    /** LLM calls an item is expected to make (measured, or the framework's shortest path). */
    callsPerItem: z.number(),
    /** One item, expected (tokens rounded to whole numbers; the cost is of the unrounded mean). */
    expectedPerItem: tokensAndCost,
    /** All of this framework's items, expected. */
    expected: tokensAndCost,
    /** All of this framework's items at their worst case (every call the framework can make, MAX_TOKENS each). */
    worstCaseUsd: usdString,
    /** Its costliest single item at worst. */
    worstCasePerItemUsd: usdString,
  }),
  'One framework of a batch estimate',
);

export const batchEstimateSchema = named(
  'BatchEstimate',
  z.strictObject({
    /** Always true: nothing was started or written. */
    dryRun: z.literal(true),
    totalItems: int,
    pairs: int,
    frameworks: z.array(z.enum(FRAMEWORKS)),
    concurrency: int,
    provider: z.string(),
    model: z.string(),
    /** The pricing table's rates for the model (USD per 1,000 tokens); known = false: the model is not in the table and is priced as free. */
    pricing: z.strictObject({
      inputPer1kUsd: usdString,
      outputPer1kUsd: usdString,
      known: z.boolean(),
    }),
    /** MAX_TOKENS: the longest answer of one call, the worst case's output per call. */
    maxTokensPerCall: int,
    /** Successful calls of a framework and model needed before its measured tokens are used. */
    minHistoryAttempts: int,
    /** The whole batch, expected; `source` is `mixed` when frameworks differ. */
    expected: tokensAndCost.extend({ source: z.enum([...ESTIMATE_SOURCES, 'mixed']) }),
    /** The whole batch at worst: what the budget cap reserves for all of its items together. */
    worstCase: z.strictObject({ costUsd: usdString }),
    perFramework: z.array(batchEstimateFrameworkSchema),
    /** null without budgetUsd. */
    budget: z
      .strictObject({
        budgetUsd: usdString,
        coversExpected: z.boolean(),
        coversWorstCase: z.boolean(),
      })
      .nullable(),
  }),
  'What a batch would cost (dryRun): items, expected tokens and cost, the worst case, and whether the budget covers them; nothing started',
);
export type BatchEstimate = z.infer<typeof batchEstimateSchema>;
export type BatchEstimateFramework = z.infer<typeof batchEstimateFrameworkSchema>;
