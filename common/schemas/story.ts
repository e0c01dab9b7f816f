import { z } from 'zod';
import {
  ACCEPTED_FRAMEWORK_SPELLINGS,
  FRAMEWORK_SLUG_LIST,
  normalizeFramework,
  type Framework,
} from '../frameworks';
import { characterName } from './character-name';

export const frameworkSchema = z
  .string({ error: `framework is required: one of ${FRAMEWORK_SLUG_LIST}` })
  .transform((v, ctx): Framework => {
    const f = normalizeFramework(v);
    if (!f) {
      ctx.addIssue({
        code: 'custom',
        message: `framework must be one of ${ACCEPTED_FRAMEWORK_SPELLINGS.join(', ')} (got "${v.slice(0, 40)}")`,
      });
      return z.NEVER;
    }
    return f;
  })
  // Any case and spacing of these is accepted too; the document lists the spellings.
  .meta({ enum: [...ACCEPTED_FRAMEWORK_SPELLINGS] });

function differentNames<T extends { primaryCharacter: string; secondaryCharacter: string }>(
  v: T,
  ctx: z.RefinementCtx,
) {
  if (v.primaryCharacter.toLowerCase() === v.secondaryCharacter.toLowerCase()) {
    ctx.addIssue({
      code: 'custom',
      path: ['secondaryCharacter'],
      message: 'Primary and secondary characters must be different',
    });
  }
}

export interface NameLimits {
  min: number;
  max: number;
}

/** Quillflow's own story request (camelCase, framework in the body). */
export function storyRequestSchema(limits: NameLimits = { min: 1, max: 100 }) {
  return z
    .strictObject({
      primaryCharacter: characterName('primaryCharacter', limits.min, limits.max),
      secondaryCharacter: characterName('secondaryCharacter', limits.min, limits.max),
      framework: frameworkSchema,
    })
    .superRefine(differentNames);
}
export type StoryRequest = z.output<ReturnType<typeof storyRequestSchema>>;

/** The original's body (`POST /api/{framework}`): snake_case, framework from the path. */
export function legacyStoryRequestSchema(limits: NameLimits = { min: 1, max: 100 }) {
  return z
    .object({
      primary_character: characterName('primary_character', limits.min, limits.max),
      secondary_character: characterName('secondary_character', limits.min, limits.max),
    })
    .transform((v) => ({
      primaryCharacter: v.primary_character,
      secondaryCharacter: v.secondary_character,
    }))
    .superRefine((v, ctx) => {
      if (v.primaryCharacter.toLowerCase() === v.secondaryCharacter.toLowerCase()) {
        ctx.addIssue({
          code: 'custom',
          path: ['secondary_character'],
          message: 'Primary and secondary characters must be different',
        });
      }
    });
}

export const paginationSchema = (defaultLimit: number, maxLimit = 1000) =>
  z.object({
    skip: z.coerce
      .number({ error: 'skip must be a whole number' })
      .int({ error: 'skip must be a whole number' })
      .min(0, { error: 'skip must be 0 or more' })
      .max(1_000_000_000, { error: 'skip is too large' })
      .default(0),
    limit: z.coerce
      .number({ error: 'limit must be a whole number' })
      .int({ error: 'limit must be a whole number' })
      .min(1, { error: 'limit must be at least 1' })
      .max(maxLimit, { error: `limit must be at most ${maxLimit}` })
      .default(defaultLimit),
  });
