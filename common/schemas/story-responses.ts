import { z } from 'zod';
import { FRAMEWORKS } from '../frameworks';
import { int, isoDateTime, links, named, usdNumber } from './response-fields';

/** Stories in the original's shapes (snake_case, money as numbers), so its clients keep working. */

/** A story just generated: `POST /api/{framework}` and, with links, `POST /api/stories?wait=true`. */
export const storyResponseSchema = named(
  'StoryResponse',
  z.strictObject({
    id: int,
    story: z.string(),
    primary_character: z.string(),
    secondary_character: z.string(),
    framework: z.enum(FRAMEWORKS),
    provider: z.string(),
    model: z.string(),
    created_at: isoDateTime,
    generation_time_ms: z.number(),
    input_tokens: int,
    output_tokens: int,
    total_tokens: int,
    request_id: z.string().nullable(),
    transaction_guid: z.string(),
    estimated_cost_usd: usdNumber,
    input_cost_per_1k_tokens: usdNumber,
    output_cost_per_1k_tokens: usdNumber,
    llm_calls: int,
    workflow_id: z.string(),
    run_id: z.string(),
  }),
  'A generated story (the original compatibility shape)',
);
export type StoryResponse = z.infer<typeof storyResponseSchema>;

export const storyCreatedSchema = named(
  'StoryCreated',
  storyResponseSchema.extend({ links: links('run', 'story') }),
  'POST /api/stories?wait=true: the story, with links to its run and its record',
);
export type StoryCreated = z.infer<typeof storyCreatedSchema>;

export const storyStartedSchema = named(
  'StoryStarted',
  z.strictObject({
    workflowId: z.string(),
    runId: z.string(),
    status: z.literal('RUNNING'),
    links: links('run'),
  }),
  'POST /api/stories: the story workflow started (follow links.run)',
);
export type StoryStarted = z.infer<typeof storyStartedSchema>;

const storyRecordFields = {
  id: int,
  primary_character: z.string(),
  secondary_character: z.string(),
  combined_characters: z.string(),
  method: z.string(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  generation_time_ms: z.number().nullable(),
  input_tokens: int.nullable(),
  output_tokens: int.nullable(),
  total_tokens: int.nullable(),
  transaction_guid: z.string(),
  created_at: isoDateTime,
  estimated_cost_usd: usdNumber.nullable(),
  input_cost_per_1k_tokens: usdNumber.nullable(),
  output_cost_per_1k_tokens: usdNumber.nullable(),
  workflow_id: z.string(),
  origin: z.string(),
  batch_id: z.string().nullable(),
};

/** `GET /api/stories/{id}`: one stored story in full. */
export const storyDetailSchema = named(
  'StoryDetail',
  z.strictObject({
    ...storyRecordFields,
    story_content: z.string(),
    request_id: z.string().nullable(),
  }),
  'One stored story with its full text',
);
export type StoryDetail = z.infer<typeof storyDetailSchema>;

export const storyListItemSchema = named(
  'StoryListItem',
  z.strictObject({
    ...storyRecordFields,
    /** The method under the original list's name. */
    framework: z.string(),
    /** The first 200 characters of the story, "..." when cut. */
    story_preview: z.string(),
  }),
  'A stored story with a 200-character preview',
);
export type StoryListItem = z.infer<typeof storyListItemSchema>;

export const storyListSchema = named(
  'StoryList',
  z.array(storyListItemSchema),
  'Stories, newest first',
);
