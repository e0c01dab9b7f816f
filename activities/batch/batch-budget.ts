import { ApplicationFailure } from '@temporalio/common';
import Decimal from 'decimal.js';
import type { BatchSpec } from '../../common/batch-items';
import type { BatchItemCostBounds, ItemWorstCases } from '../../common/batch-types';
import type { ProviderConfig } from '../../common/config';
import { addUsd } from '../../common/money';
import type { PricingTable } from '../../common/pricing';
import type { ActivityDeps } from '../deps';
import { estimateStoryRequest, textBound, type TextBound } from '../llm/cost-estimate';

/** A provider a call may be sent to: its model, its answer limit and its own prices if it has them. */
export type PricedProvider = Pick<ProviderConfig, 'model' | 'maxTokens' | 'prices'>;

export interface ItemCostBoundsInput {
  pricing: PricingTable;
  promptsDir: string;
  /** The primary first, then the fallbacks: any call may fail over to any of them. */
  providers: readonly PricedProvider[];
}

/** The pricing table a call on this provider is audited with (llm-call.ts `callPrice`). */
export function providerPricing(pricing: PricingTable, p: PricedProvider): PricingTable {
  return p.prices ? { ...pricing, [p.model]: { ...pricing[p.model], ...p.prices } } : pricing;
}

/** The longest names of a batch's pairs (in tokens and in characters, each measured on its own). */
export function nameBounds(spec: Pick<BatchSpec, 'source'>): {
  primary: TextBound;
  secondary: TextBound;
} {
  const s = spec.source;
  return s.kind === 'pairs'
    ? {
        primary: textBound(s.pairs.map((p) => p.primaryCharacter)),
        secondary: textBound(s.pairs.map((p) => p.secondaryCharacter)),
      }
    : { primary: textBound(s.primaryNames), secondary: textBound(s.secondaryNames) };
}

/**
 * One item's worst-case cost per framework of the spec, for its longest names (in tokens and in
 * characters, each name measured on its own): an upper bound for every item of the batch, in a
 * handful of numbers however many items there are.
 */
export function itemCostBounds(spec: BatchSpec, o: ItemCostBoundsInput): BatchItemCostBounds {
  const { primary: primaryCharacter, secondary: secondaryCharacter } = nameBounds(spec);
  const worstCaseUsd: ItemWorstCases = {};
  let priced = true;
  for (const framework of spec.frameworks) {
    // Any call may fail over on its own, so each call is counted at the dearest provider's price.
    const plans = o.providers.map((p) =>
      estimateStoryRequest({
        framework,
        primaryCharacter,
        secondaryCharacter,
        promptsDir: o.promptsDir,
        model: p.model,
        maxTokens: p.maxTokens,
        pricing: providerPricing(o.pricing, p),
      }),
    );
    priced &&= plans.every((e) => e.priced);
    const calls = plans[0]?.calls ?? [];
    worstCaseUsd[framework] = addUsd(
      0,
      ...calls.map((_, i) => Decimal.max(...plans.map((e) => e.calls[i]?.worstCaseUsd ?? 0))),
    );
  }
  const primary = o.providers[0];
  if (!primary) throw new Error('itemCostBounds needs at least one provider');
  return {
    worstCaseUsd,
    priced,
    model: primary.model,
    maxTokens: Math.max(...o.providers.map((p) => p.maxTokens)),
  };
}

/** The batch workflow's reservations come from here: it cannot tokenize. */
export function batchBudget(deps: ActivityDeps) {
  return {
    /** Reads the spec from the batch's row (not from the input: a 100,000-pair spec stays out of history). */
    async estimateBatchItemCosts(input: { batchId: string }): Promise<BatchItemCostBounds> {
      const row = await deps.prisma.batch.findUnique({
        where: { id: input.batchId },
        select: { spec: true },
      });
      if (!row)
        throw ApplicationFailure.nonRetryable(`batch ${input.batchId} has no row`, 'BatchNotFound');
      const { providers } = deps.config;
      const bounds = itemCostBounds(JSON.parse(row.spec) as BatchSpec, {
        pricing: deps.pricing,
        promptsDir: deps.promptsDir,
        providers,
      });
      if (!bounds.priced) {
        const models = providers.map((p) => p.model);
        deps.logger.warn(
          { batchId: input.batchId, models },
          'a model is not in the pricing table: its calls reserve 0',
        );
      }
      return bounds;
    },
  };
}
