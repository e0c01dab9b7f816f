import { usdToNumber } from '../../common/money';
import type {
  ContextExecution,
  ContextExecutionDetail,
  ContextExecutionListItem,
  ContextFile as ContextFileItem,
  ContextUpload,
} from '../../common/schemas/context-responses';
import type { ContextFile, ContextPromptExecution } from '../../prisma/client';

/** The original API's shapes (snake_case), so its clients keep working; extras are additive. */
const money = (v: { toString(): string } | null) => (v === null ? null : usdToNumber(v.toString()));

export type ContextFileListRow = Pick<
  ContextFile,
  'id' | 'originalFilename' | 'fileType' | 'fileSizeBytes' | 'createdAt'
>;

export function contextFileItem(f: ContextFileListRow): ContextFileItem {
  return {
    id: f.id,
    name: f.originalFilename,
    size: f.fileSizeBytes,
    upload_date: f.createdAt.toISOString(),
    file_type: f.fileType,
  };
}

export function uploadResponse(
  f: Pick<
    ContextFile,
    | 'id'
    | 'originalFilename'
    | 'fileType'
    | 'fileSizeBytes'
    | 'processedContentLength'
    | 'processingTimeMs'
  >,
): ContextUpload {
  return {
    file_id: f.id,
    original_filename: f.originalFilename,
    file_type: f.fileType,
    file_size_bytes: f.fileSizeBytes,
    processed_content_length: f.processedContentLength,
    processing_time_ms: f.processingTimeMs,
    status: 'success' as const,
    error_message: null,
  };
}

/** ContextPromptResponse, readable for failed and running executions too (their numbers are null). */
export function executionResponse(r: ContextPromptExecution): ContextExecution {
  return {
    id: r.id,
    llm_response: r.llmResponse,
    original_filename: r.originalFilename,
    file_type: r.fileType,
    processed_content_length: r.processedContentLength,
    final_prompt_length: r.finalPromptLength,
    file_processing_time_ms: r.fileProcessingTimeMs,
    llm_execution_time_ms: r.llmExecutionTimeMs,
    total_execution_time_ms: r.totalExecutionTimeMs,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    total_tokens: r.totalTokens,
    estimated_cost_usd: money(r.estimatedCostUsd),
    input_cost_per_1k_tokens: money(r.inputCostPer1kTokens),
    output_cost_per_1k_tokens: money(r.outputCostPer1kTokens),
    method: r.method,
    provider: r.provider,
    model: r.model,
    request_id: r.requestId,
    transaction_guid: r.correlationId,
    created_at: r.createdAt.toISOString(),
    completed_at: r.completedAt?.toISOString() ?? null,
    status: r.status,
    error_message: r.errorMessage,
    workflow_id: r.workflowId,
  };
}

/** One execution in full: the response plus what was asked (for "edit and run again"). */
export function executionDetail(r: ContextPromptExecution): ContextExecutionDetail {
  return {
    ...executionResponse(r),
    file_ids: r.fileIds ? r.fileIds.split(',') : [],
    file_size_bytes: r.fileSizeBytes,
    system_prompt: r.systemPrompt,
    user_prompt: r.userPrompt,
    origin: r.origin,
  };
}

export const EXECUTION_LIST_SELECT = {
  id: true,
  originalFilename: true,
  fileType: true,
  method: true,
  model: true,
  estimatedCostUsd: true,
  totalTokens: true,
  totalExecutionTimeMs: true,
  createdAt: true,
  status: true,
  errorMessage: true,
  workflowId: true,
} as const;

export function executionListItem(
  r: Pick<ContextPromptExecution, keyof typeof EXECUTION_LIST_SELECT>,
): ContextExecutionListItem {
  return {
    id: r.id,
    original_filename: r.originalFilename,
    file_type: r.fileType,
    method: r.method,
    model: r.model,
    estimated_cost_usd: money(r.estimatedCostUsd),
    total_tokens: r.totalTokens,
    total_execution_time_ms: r.totalExecutionTimeMs,
    created_at: r.createdAt.toISOString(),
    status: r.status,
    error_message: r.errorMessage,
    workflow_id: r.workflowId,
  };
}
