import type { Framework } from './frameworks';
import type { Usd } from './money';
import type { Correlation, DeferredAuditRow, RunSettings, UsageTotals } from './workflow-types';

/**
 * Inputs and outputs of contextWorkflow and its activities. Only ids, prompts and small
 * results travel through Temporal: the files' text (up to 20 x 10 MB) is read from the
 * database inside the activity that calls the model.
 */
export interface ContextWorkflowInput extends Correlation {
  fileIds: string[];
  systemPrompt: string;
  userPrompt: string;
  framework: Framework;
  /** The caller's address, stored on the execution row as the original did. */
  userIp?: string;
  settings: RunSettings;
}

export interface BeginContextExecutionInput extends Omit<ContextWorkflowInput, 'settings'> {
  workflowId: string;
  runId: string;
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

export interface RunContextPromptInput extends Correlation {
  fileIds: string[];
  systemPrompt: string;
  userPrompt: string;
  framework: Framework;
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

export interface ContextResult {
  executionId: number;
  workflowId: string;
  runId: string;
  status: 'completed';
  framework: Framework;
  totalTokens: number;
  costUsd: Usd;
}

/** What contextWorkflow reports while running (query `progress`). */
export interface ContextProgress {
  state: 'queued' | 'generating' | 'persisting' | 'completed' | 'failed';
  framework: Framework;
  executionId?: number;
  error?: string;
}

/** Failure type of a run whose files were deleted after it was accepted. */
export const CONTEXT_FILES_NOT_FOUND = 'ContextFilesNotFound';
