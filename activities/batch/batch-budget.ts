import { ApplicationFailure } from '@temporalio/common';
import type { BatchSpec } from '../../common/batch-items';
import type { BatchItemCostBounds, ItemWorstCases } from '../../common/batch-types';
import type { PricingTable } from '../../common/pricing';
import type { ActivityDeps } from '../deps';
import {
  estimateStoryOverProviders,
  textBound,
  type PricedProvider,
  type TextBound,
} from '../llm/cost-estimate';

export interface ItemCostBoundsInput {
  pricing: PricingTable;
  promptsDir: string;
  /** The primary first, then the fallbacks: any call may fail over to any of them. */
  providers: readonly PricedProvider[];
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
    const e = estimateStoryOverProviders(
      { framework, primaryCharacter, secondaryCharacter, promptsDir: o.promptsDir },
      o.pricing,
      o.providers,
    );
    priced &&= e.priced;
    worstCaseUsd[framework] = e.worstCaseUsd;
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
