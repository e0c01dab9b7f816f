import type { Framework } from './frameworks';
import type { Correlation, DeferredAuditRow, RunIds, UsageTotals } from './workflow-types';

/**
 * Inputs and outputs of contextWorkflow's activities (its own contract is in
 * workflows/context.definitions.ts). Only ids, prompts and small results travel through
 * Temporal: the files' text (up to 20 x 10 MB) is read from the database inside the activity
 * that calls the model.
 */

/** The prompt over the files, and the request it came from: what the model call needs. */
export interface RunContextPromptInput extends Correlation {
  fileIds: string[];
  systemPrompt: string;
  userPrompt: string;
  framework: Framework;
}

/** The execution row as the workflow opens it: the prompt, who asked, and the run. */
export interface BeginContextExecutionInput extends RunContextPromptInput, RunIds {
  /** The caller's address, stored on the execution row as the original did. */
  userIp?: string;
}

/** The execution row as created (status `processing`), plus what the summary needs. */
export interface BegunContextExecution {
  executionId: number;
  createdAt: string;
  originalFilename: string;
  fileType: string;
  fileSizeBytes: number;
  processedContentLength: number;
  fileProcessingTimeMs: number;
}

export interface ContextAnswer extends UsageTotals {
  text: string;
  provider: string;
  model: string;
  /** Length of the system prompt once every `[context]` was replaced. */
  finalPromptLength: number;
  llmExecutionTimeMs: number;
  /** The call's audit row, when the database refused it: completeContextExecution writes it first. */
  deferredAudit?: DeferredAuditRow;
}

export interface CompleteContextExecutionInput {
  workflowId: string;
  answer: ContextAnswer;
  totalExecutionTimeMs: number;
}

export interface FailContextExecutionInput {
  workflowId: string;
  errorMessage: string;
  totalExecutionTimeMs: number;
}

/** Failure type of a run whose files were deleted after it was accepted. */
export const CONTEXT_FILES_NOT_FOUND = 'ContextFilesNotFound';
