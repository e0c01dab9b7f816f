import { z } from 'zod';
import { ACCEPTED_FRAMEWORK_SPELLINGS, normalizeFramework, type Framework } from '../frameworks';
import { paginationSchema } from './story';
import { isWellFormedText, notBlankPattern, notWellFormed, requiredAs } from './well-formed';

/** The placeholder the system prompt must contain; every occurrence gets the files' text. */
export const CONTEXT_PLACEHOLDER = '[context]';
export const MISSING_PLACEHOLDER_MESSAGE = 'System prompt must contain [context] placeholder';
export const MAX_CONTEXT_FILES_PER_EXECUTION = 20;
const MAX_PROMPT_CHARS = 100_000;

export function hasContextPlaceholder(systemPrompt: string): boolean {
  return systemPrompt.includes(CONTEXT_PLACEHOLDER);
}

/** Any accepted spelling (`semantic-kernel` and `semantic_kernel` alike), stored canonically. */
export const contextMethodSchema = z
  .string({ error: 'method must be a string' })
  .optional()
  .transform((v, ctx): Framework => {
    if (v === undefined) return 'langchain';
    const f = normalizeFramework(v);
    if (!f) {
      ctx.addIssue({
        code: 'custom',
        message: `method must be one of ${ACCEPTED_FRAMEWORK_SPELLINGS.join(', ')} (got "${v.slice(0, 40)}")`,
      });
      return z.NEVER;
    }
    return f;
  })
  .meta({
    enum: [...ACCEPTED_FRAMEWORK_SPELLINGS],
    description: 'The framework (default langchain)',
  });

const fileId = z
  .string({ error: 'each file id must be a string' })
  .trim()
  .min(1, { error: 'file ids must not be empty' })
  .max(64, { error: 'file ids are at most 64 characters' })
  .refine(isWellFormedText, notWellFormed('file id'))
  .meta({ pattern: notBlankPattern() }); // trimmed first: blank is empty

/**
 * `POST /api/context/execute` (the original's ContextPromptRequest). The `[context]` check is
 * not here on purpose: a prompt without it is recorded as a failed execution (400), as the
 * original did, rather than rejected as malformed input.
 */
export const contextExecuteRequestSchema = z.object({
  file_ids: z
    .array(fileId, { error: 'file_ids must be a list of file ids from /api/context/upload' })
    .min(1, { error: 'file_ids needs at least one file id' })
    .max(MAX_CONTEXT_FILES_PER_EXECUTION, {
      error: `file_ids takes at most ${MAX_CONTEXT_FILES_PER_EXECUTION} files`,
    })
    // The same file twice would only repeat its text in the prompt.
    .transform((ids) => [...new Set(ids)]),
  system_prompt: z
    .string(requiredAs('system_prompt', 'a string'))
    .min(1, { error: 'system_prompt must not be empty' })
    .max(MAX_PROMPT_CHARS, { error: `system_prompt is at most ${MAX_PROMPT_CHARS} characters` })
    .refine(isWellFormedText, notWellFormed('system_prompt'))
    // Checked later on purpose (see above), and documented here.
    .meta({
      pattern: `^[^\\u0000]*${CONTEXT_PLACEHOLDER.replace(/[[\]]/g, '\\$&')}[^\\u0000]*$`,
      description: `Must contain ${CONTEXT_PLACEHOLDER} (each occurrence gets the files' text); without it the execution is recorded as failed (400)`,
    }),
  user_prompt: z
    .string(requiredAs('user_prompt', 'a string'))
    .min(1, { error: 'user_prompt must not be empty' })
    .max(MAX_PROMPT_CHARS, { error: `user_prompt is at most ${MAX_PROMPT_CHARS} characters` })
    .refine(isWellFormedText, notWellFormed('user_prompt')),
  method: contextMethodSchema,
});
export type ContextExecuteRequest = z.output<typeof contextExecuteRequestSchema>;

export const contextExecutionsQuerySchema = paginationSchema(20, 100);
export const contextFilesQuerySchema = paginationSchema(200, 1000);
