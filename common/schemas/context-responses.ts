import { z } from 'zod';
import { int, isoDateTime, links, named, usdNumber } from './response-fields';

/** "Talk to your files" in the original's shapes (snake_case, money as numbers); extras are additive. */

export const contextUploadSchema = named(
  'ContextUpload',
  z.strictObject({
    file_id: z.string(),
    original_filename: z.string(),
    file_type: z.string(),
    file_size_bytes: int,
    processed_content_length: int,
    processing_time_ms: z.number(),
    status: z.literal('success'),
    /** The original's field; always null here (a failed upload is an error response). */
    error_message: z.string().nullable(),
  }),
  'An uploaded file, parsed and stored',
);
export type ContextUpload = z.infer<typeof contextUploadSchema>;

export const contextFileSchema = named(
  'ContextFile',
  z.strictObject({
    id: z.string(),
    name: z.string(),
    size: int,
    upload_date: isoDateTime,
    file_type: z.string(),
  }),
  'An uploaded file',
);
export type ContextFile = z.infer<typeof contextFileSchema>;

export const contextFileListSchema = named(
  'ContextFileList',
  z.array(contextFileSchema),
  'Uploaded files, newest first',
);

/** The original's ContextPromptResponse, readable for failed and running executions too (their numbers are null). */
export const contextExecutionSchema = named(
  'ContextExecution',
  z.strictObject({
    id: int,
    llm_response: z.string().nullable(),
    original_filename: z.string(),
    file_type: z.string(),
    processed_content_length: int.nullable(),
    final_prompt_length: int.nullable(),
    file_processing_time_ms: z.number().nullable(),
    llm_execution_time_ms: z.number().nullable(),
    total_execution_time_ms: z.number().nullable(),
    input_tokens: int.nullable(),
    output_tokens: int.nullable(),
    total_tokens: int.nullable(),
    estimated_cost_usd: usdNumber.nullable(),
    input_cost_per_1k_tokens: usdNumber.nullable(),
    output_cost_per_1k_tokens: usdNumber.nullable(),
    method: z.string(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    request_id: z.string().nullable(),
    transaction_guid: z.string(),
    created_at: isoDateTime,
    completed_at: isoDateTime.nullable(),
    /** processing, completed or failed. */
    status: z.string(),
    error_message: z.string().nullable(),
    workflow_id: z.string().nullable(),
  }),
  'One context prompt execution',
);
export type ContextExecution = z.infer<typeof contextExecutionSchema>;

export const contextExecutionResultSchema = named(
  'ContextExecutionResult',
  contextExecutionSchema.extend({ links: links('run') }),
  'POST /api/context/execute: the finished execution, with a link to its run',
);
export type ContextExecutionResult = z.infer<typeof contextExecutionResultSchema>;

export const contextExecutionStartedSchema = named(
  'ContextExecutionStarted',
  z.strictObject({
    workflow_id: z.string(),
    run_id: z.string(),
    status: z.literal('RUNNING'),
    links: links('run'),
  }),
  'POST /api/context/execute?wait=false: the context workflow started (follow links.run)',
);
export type ContextExecutionStarted = z.infer<typeof contextExecutionStartedSchema>;

export const contextExecutionDetailSchema = named(
  'ContextExecutionDetail',
  contextExecutionSchema.extend({
    file_ids: z.array(z.string()),
    file_size_bytes: int,
    system_prompt: z.string(),
    user_prompt: z.string(),
    origin: z.string(),
  }),
  'One execution in full: the response plus what was asked',
);
export type ContextExecutionDetail = z.infer<typeof contextExecutionDetailSchema>;

export const contextExecutionListItemSchema = named(
  'ContextExecutionListItem',
  z.strictObject({
    id: int,
    original_filename: z.string(),
    file_type: z.string(),
    method: z.string(),
    model: z.string().nullable(),
    estimated_cost_usd: usdNumber.nullable(),
    total_tokens: int.nullable(),
    total_execution_time_ms: z.number().nullable(),
    created_at: isoDateTime,
    status: z.string(),
    error_message: z.string().nullable(),
    workflow_id: z.string().nullable(),
  }),
  'An execution in a list (no prompts, no response text)',
);
export type ContextExecutionListItem = z.infer<typeof contextExecutionListItemSchema>;

export const contextExecutionListSchema = named(
  'ContextExecutionList',
  z.array(contextExecutionListItemSchema),
  'Executions, newest first, failed ones included',
);
