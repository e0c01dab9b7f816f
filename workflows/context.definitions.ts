import { defineQuery } from '@temporalio/workflow';
import type {
  BeginContextExecutionInput,
  BegunContextExecution,
  ContextAnswer,
} from '../common/context-workflow-types';
import type { Framework } from '../common/frameworks';
import type { RunIds, RunSettings } from '../common/workflow-types';

// Contract of contextWorkflow with its callers (API, MCP): input, result, messages. Activity
// inputs and outputs are in common/context-workflow-types.ts; the types below derive from them.

/** The prompt over the files and who asked; the workflow adds its run to open the row. */
export interface ContextWorkflowInput extends Omit<BeginContextExecutionInput, keyof RunIds> {
  settings: RunSettings;
}

/** A completed execution; callers read its row (executionId) for the answer. */
export interface ContextResult
  extends
    RunIds,
    Pick<BegunContextExecution, 'executionId'>,
    Pick<ContextWorkflowInput, 'framework'>,
    Pick<ContextAnswer, 'totalTokens' | 'costUsd'> {
  status: 'completed';
}

/** What contextWorkflow reports while running. */
export interface ContextProgress {
  state: 'queued' | 'generating' | 'persisting' | 'completed' | 'failed';
  framework: Framework;
  executionId?: number;
  error?: string;
}

export const contextProgressQuery = defineQuery<ContextProgress>('progress');
