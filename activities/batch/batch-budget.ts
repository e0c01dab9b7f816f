import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { BatchSpec } from '../../common/batch-items';
import type { BatchItemCostBounds, ItemWorstCases } from '../../common/batch-types';
import { FRAMEWORKS } from '../../common/frameworks';
import type { PricingTable } from '../../common/pricing';
import type { ActivityDeps } from '../deps';
import {
  estimateStoryOverProviders,
  textBound,
  type PricedProvider,
  type TextBound,
} from '../llm/cost-estimate';

/** The failure type of a batch whose stored spec cannot be estimated (it never will be). */
export const BATCH_SPEC_UNUSABLE = 'BatchSpecUnusable';

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
export function itemCostBounds(
  spec: Pick<BatchSpec, 'source' | 'frameworks'>,
  o: ItemCostBoundsInput,
): BatchItemCostBounds {
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

const names = z.array(z.string()).min(1);
/**
 * What itemCostBounds reads of a stored spec (the rest of the spec is the workflow's): checked,
 * so a row written by another version, or edited by hand, fails with a message naming the field.
 */
const estimableSpec = z.object({
  source: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('pairs'),
      pairs: z
        .array(z.object({ primaryCharacter: z.string(), secondaryCharacter: z.string() }))
        .min(1),
    }),
    z.object({
      kind: z.literal('generate'),
      count: z.number().int().min(0),
      primaryNames: names,
      secondaryNames: names,
    }),
  ]),
  frameworks: z.array(z.enum(FRAMEWORKS)).min(1),
});

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
      // Only the database read above is worth retrying: the spec and the estimate from it are
      // the same on every attempt, so a spec that cannot be estimated fails the activity for good.
      const unusable = (why: string) =>
        ApplicationFailure.nonRetryable(
          `batch ${input.batchId}: its stored spec cannot be estimated: ${why}`,
          BATCH_SPEC_UNUSABLE,
        );
      let stored: unknown;
      try {
        stored = JSON.parse(row.spec);
      } catch (err) {
        throw unusable(`not JSON (${(err as Error).message})`);
      }
      const spec = estimableSpec.safeParse(stored);
      if (!spec.success) throw unusable(z.prettifyError(spec.error).replace(/\n\s*/g, '; '));
      let bounds: BatchItemCostBounds;
      try {
        bounds = itemCostBounds(spec.data, {
          pricing: deps.pricing,
          promptsDir: deps.promptsDir,
          providers,
        });
      } catch (err) {
        throw unusable((err as Error).message);
      }
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
