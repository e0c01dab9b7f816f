import { z } from 'zod';
import {
  BATCH_ITEM_MODES,
  DEFAULT_BATCH_ITEM_MODE,
  MAX_BATCH_CONCURRENCY,
  type BatchItemMode,
  MAX_BATCH_ITEMS,
  type BatchItemSource,
  type BatchSpec,
} from '../batch-items';
import { FRAMEWORK_SLUG_LIST, FRAMEWORKS, type Framework } from '../frameworks';
import { usd } from '../money';
import { characterName } from './character-name';
import { frameworkSchema } from './story';

/**
 * Body of `POST /api/batches` (and the MCP start-batch tool): an explicit list of character
 * pairs or a generator spec, times a list of frameworks. Sizes are checked here so nothing
 * oversized ever reaches a workflow's input.
 */
export const MAX_GENERATOR_NAMES = 1000;
/** Keeps an explicit list well inside one Temporal payload (a generator has no such limit). */
export const MAX_PAIR_LIST_CHARS = 1_000_000;

const differ = (a: string, b: string) => a.toLowerCase() !== b.toLowerCase();

const pairSchema = z
  .strictObject({
    primaryCharacter: characterName('primaryCharacter'),
    secondaryCharacter: characterName('secondaryCharacter'),
  })
  .refine((p) => differ(p.primaryCharacter, p.secondaryCharacter), {
    path: ['secondaryCharacter'],
    error: 'Primary and secondary characters must be different',
  });

const nameList = (label: string) =>
  z
    .array(characterName(label), { error: `${label} must be a list of names` })
    .min(1, { error: `${label} needs at least one name` })
    .max(MAX_GENERATOR_NAMES, { error: `${label} takes at most ${MAX_GENERATOR_NAMES} names` });

const generatorSchema = z
  .strictObject({
    count: z
      .number({ error: 'generate.count must be a whole number' })
      .int({ error: 'generate.count must be a whole number' })
      .min(1, { error: 'generate.count must be at least 1' })
      .max(MAX_BATCH_ITEMS, { error: `generate.count must be at most ${MAX_BATCH_ITEMS}` }),
    primaryNames: nameList('primaryNames'),
    secondaryNames: nameList('secondaryNames'),
  })
  .superRefine((g, ctx) => {
    const lonely = g.primaryNames.find((p) => !g.secondaryNames.some((s) => differ(p, s)));
    if (lonely !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['secondaryNames'],
        message: `no secondary name differs from "${lonely}"`,
      });
    }
  });

export const budgetSchema = z
  .union(
    [
      z.number(),
      z.string().regex(/^\d{1,9}(\.\d{1,6})?$/, { error: 'budgetUsd must be a decimal amount' }),
    ],
    {
      error: 'budgetUsd must be a number of US dollars',
    },
  )
  .transform((v) => Number(v))
  .pipe(
    z
      .number()
      .min(0, { error: 'budgetUsd must be 0 or more' })
      .max(1_000_000_000, { error: 'budgetUsd is too large' }),
  );

export const concurrencySchema = z
  .number({ error: 'concurrency must be a whole number' })
  .int({ error: 'concurrency must be a whole number' })
  .min(1, { error: 'concurrency must be at least 1' })
  .max(MAX_BATCH_CONCURRENCY, { error: `concurrency must be at most ${MAX_BATCH_CONCURRENCY}` });

export function batchRequestSchema() {
  return z
    .strictObject({
      items: z
        .array(pairSchema, {
          error: 'items must be a list of {primaryCharacter, secondaryCharacter}',
        })
        .min(1, { error: 'items needs at least one pair' })
        .max(MAX_BATCH_ITEMS, { error: `items takes at most ${MAX_BATCH_ITEMS} pairs` })
        .optional(),
      generate: generatorSchema.optional(),
      frameworks: z
        .array(frameworkSchema, { error: `frameworks must be a list: ${FRAMEWORK_SLUG_LIST}` })
        .min(1, { error: 'frameworks needs at least one framework' })
        .max(FRAMEWORKS.length * 2, { error: 'frameworks lists each framework once' })
        .transform((fs) => [...new Set(fs)] as Framework[]),
      concurrency: concurrencySchema.optional(),
      budgetUsd: budgetSchema.optional(),
      continueAsNewAfter: z
        .number({ error: 'continueAsNewAfter must be a whole number' })
        .int({ error: 'continueAsNewAfter must be a whole number' })
        .min(1, { error: 'continueAsNewAfter must be at least 1' })
        .max(10_000, { error: 'continueAsNewAfter must be at most 10000' })
        .optional(),
      label: z
        .string()
        .trim()
        .max(200, { error: 'label must be at most 200 characters' })
        .optional(),
      itemMode: z
        .enum(BATCH_ITEM_MODES, {
          error: `itemMode must be one of: ${BATCH_ITEM_MODES.join(', ')}`,
        })
        .optional()
        .describe(
          'activity: each item an activity of the batch workflow; workflow: each item its own child workflow run; absent: BATCH_ITEM_MODE (activity)',
        ),
      /** Estimate only: items, expected and worst-case tokens and cost; nothing started or written. */
      dryRun: z
        .boolean({ error: 'dryRun must be true or false' })
        .optional()
        .describe(
          'true: answer what the batch would cost (200, BatchEstimate) without starting it or writing anything',
        ),
    })
    .superRefine((b, ctx) => {
      if ((b.items === undefined) === (b.generate === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['items'],
          message: 'give exactly one of items (a list of pairs) or generate (a generator spec)',
        });
        return;
      }
      const pairs = b.items?.length ?? b.generate!.count;
      const total = pairs * b.frameworks.length;
      if (total > MAX_BATCH_ITEMS) {
        ctx.addIssue({
          code: 'custom',
          path: [b.items ? 'items' : 'generate'],
          message: `a batch holds at most ${MAX_BATCH_ITEMS} items (pairs x frameworks); this one has ${total}`,
        });
      }
      const chars =
        b.items?.reduce((n, p) => n + p.primaryCharacter.length + p.secondaryCharacter.length, 0) ??
        0;
      if (chars > MAX_PAIR_LIST_CHARS) {
        ctx.addIssue({
          code: 'custom',
          path: ['items'],
          message: 'items is too large: use generate for batches of this size',
        });
      }
    });
}
export type BatchRequest = z.output<ReturnType<typeof batchRequestSchema>>;

/** The workflow's spec from a validated request; the window defaults to BATCH_DEFAULT_CONCURRENCY. */
export function toBatchSpec(
  req: BatchRequest,
  defaultConcurrency: number,
  defaultItemMode: BatchItemMode = DEFAULT_BATCH_ITEM_MODE,
): BatchSpec {
  const source: BatchItemSource = req.items
    ? { kind: 'pairs', pairs: req.items }
    : { kind: 'generate', ...req.generate! };
  return {
    source,
    frameworks: req.frameworks,
    concurrency: Math.min(req.concurrency ?? defaultConcurrency, MAX_BATCH_CONCURRENCY),
    ...(req.budgetUsd !== undefined ? { budgetUsd: usd(req.budgetUsd) } : {}),
    ...(req.continueAsNewAfter !== undefined ? { continueAsNewAfter: req.continueAsNewAfter } : {}),
    ...(req.label ? { label: req.label } : {}),
    itemMode: req.itemMode ?? defaultItemMode,
  };
}

export const concurrencyBodySchema = z.strictObject({ concurrency: concurrencySchema });
