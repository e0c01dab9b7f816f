/**
 * Response bodies. The OpenAPI document describes paths and request bodies (schema.d.ts is
 * generated from it) but not yet responses, so these mirror the API's serializers
 * (api/stories/story.serializers.ts, api/cost/cost-aggregation.ts, api/runs/runs.service.ts, ...).
 * Request bodies are taken from the generated schema; fields the UI can live without are optional.
 */
import type { paths } from './schema';

type JsonBody<T> = T extends { requestBody?: { content: { 'application/json': infer B } } }
  ? B
  : never;

/** POST /api/stories body, from the OpenAPI document. */
export type StoryRequest = JsonBody<paths['/api/stories']['post']>;

export type FrameworkId = 'semantic_kernel' | 'langchain' | 'langgraph';

export interface ProviderInfo {
  provider: string;
  model: string;
  configured: boolean;
  simulated?: boolean;
  warning?: string;
}

export interface UiConfig {
  temporalUiUrl: string;
  namespace: string;
}

// ---- stories ---------------------------------------------------------------------------------

export interface StoryResponse {
  id: number;
  story: string;
  primary_character: string;
  secondary_character: string;
  framework: string;
  provider?: string;
  model?: string;
  created_at: string;
  generation_time_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  request_id: string | null;
  transaction_guid: string;
  estimated_cost_usd: number | null;
  input_cost_per_1k_tokens?: number | null;
  output_cost_per_1k_tokens?: number | null;
  llm_calls?: number;
  workflow_id?: string;
  run_id?: string;
}

interface StoryCommon {
  id: number;
  primary_character: string;
  secondary_character: string;
  combined_characters?: string;
  provider?: string | null;
  model?: string | null;
  generation_time_ms?: number | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  total_tokens?: number | null;
  transaction_guid?: string | null;
  created_at: string;
  estimated_cost_usd?: number | null;
  input_cost_per_1k_tokens?: number | null;
  output_cost_per_1k_tokens?: number | null;
  workflow_id?: string;
  origin?: string;
  batch_id?: string | null;
}

export interface StoryListItem extends StoryCommon {
  framework?: string;
  method?: string;
  story_preview: string;
}

export interface StoryDetail extends StoryCommon {
  story_content: string;
  method: string;
  framework?: string;
  request_id?: string | null;
}

export interface DeletedCount {
  message?: string;
  deleted_count?: number;
}

// ---- chat ------------------------------------------------------------------------------------

export interface ChatMessage {
  id: number;
  /** `user` or `assistant`. */
  role: string;
  content: string;
  generation_time_ms?: number | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  total_tokens?: number | null;
  created_at: string;
  estimated_cost_usd?: number | null;
}

export interface ChatConversation {
  id: number;
  title: string | null;
  method: string;
  model?: string | null;
  created_at: string;
  updated_at: string;
  messages: ChatMessage[];
}

export interface ChatConversationListItem {
  id: number;
  title: string | null;
  method: string;
  model?: string | null;
  message_count?: number;
  last_message_preview?: string | null;
  created_at: string;
  updated_at: string;
}

export interface ChatResponse {
  conversation: ChatConversation;
  message: ChatMessage;
  request_id?: string | null;
}

// ---- context ---------------------------------------------------------------------------------

export interface UploadedFile {
  file_id: string;
  original_filename: string;
  file_type: string;
  file_size_bytes: number;
  processed_content_length?: number;
  processing_time_ms?: number;
  status?: string;
}

export interface ContextFile {
  id: string;
  name: string;
  size: number;
  upload_date: string;
}

export interface ContextExecuteRequest {
  file_ids: string[];
  system_prompt: string;
  user_prompt: string;
  method: string;
}

export interface ContextExecution {
  id: number;
  llm_response: string;
  original_filename: string;
  file_type?: string;
  method: string;
  model?: string | null;
  total_tokens?: number | null;
  estimated_cost_usd?: number | null;
  total_execution_time_ms?: number | null;
  request_id?: string | null;
  created_at: string;
  workflow_id?: string | null;
}

export interface ContextExecutionListItem {
  id: number;
  original_filename: string;
  file_type?: string;
  method: string;
  model?: string | null;
  estimated_cost_usd?: number | null;
  total_tokens?: number | null;
  total_execution_time_ms?: number | null;
  created_at: string;
  status: string;
  error_message?: string | null;
  workflow_id?: string | null;
}

// ---- cost ------------------------------------------------------------------------------------

export interface CostSummary {
  total_cost_usd: number;
  total_requests: number;
  total_tokens: number;
  average_cost_per_request: number;
  average_tokens_per_request: number;
}

export interface CostBreakdownRow {
  total_cost_usd: number;
  request_count: number;
  total_tokens: number;
  average_cost_per_request: number;
}

export interface CostUsage {
  summary: CostSummary;
  by_method: (CostBreakdownRow & { method: string })[];
  by_model: (CostBreakdownRow & { model: string })[];
  daily_usage: {
    date: string;
    total_cost_usd: number;
    request_count: number;
    total_tokens: number;
  }[];
  recent_requests?: unknown[];
  date_range: string;
}

export type CostKind = 'story' | 'chat' | 'context';

export interface Transaction {
  id: number;
  /** A CostKind: story, chat or context. */
  type: string;
  method: string;
  model: string;
  created_at: string;
  transaction_guid: string | null;
  request_id: string | null;
  primary_character: string | null;
  secondary_character: string | null;
  conversation_title: string | null;
  content_preview: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  estimated_cost_usd: number;
  generation_time_ms: number | null;
}

export interface TransactionList {
  transactions: Transaction[];
  total_cost: number;
  transaction_count: number;
}

// ---- runs ------------------------------------------------------------------------------------

/** Temporal's status name: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT, CONTINUED_AS_NEW. */
export type RunStatus = string;

export interface RunSummary {
  workflowId: string;
  runId?: string;
  type: string;
  status: RunStatus;
  startTime: string;
  closeTime?: string | null;
  executionTime?: string | null;
  historyLength?: number;
  searchAttributes?: Record<string, unknown>;
  memo?: Record<string, unknown>;
  summary?: string | null;
}

export interface RunList {
  runs: RunSummary[];
  nextPageToken?: string | null;
}

export interface RunAttempt {
  activityType: string;
  attempt: number;
  step?: string | null;
  outcome: string;
  httpStatus?: number | null;
  errorType?: string | null;
  errorMessage?: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  costUsd?: number | null;
  latencyMs?: number | null;
  createdAt: string;
}

export interface RunFailure {
  type?: string;
  message: string;
}

export interface RunDetail extends RunSummary {
  taskQueue?: string;
  result?: unknown;
  failure?: RunFailure | null;
  pendingActivities?: {
    activityType?: string;
    attempt?: number;
    state?: unknown;
    lastFailure?: string;
  }[];
  attempts: RunAttempt[];
  attemptCount: number;
  /** A summary of the input (characters, framework, batch spec), without its bulk. */
  input?: Record<string, unknown> | null;
  parentWorkflowId?: string | null;
  cost?: {
    costUsd: string | null;
    totalTokens: number | null;
    /** Every audited LLM attempt of the run (a batch: of all its items), failed ones included. */
    audited?: { attempts: number; errors: number; totalTokens: number; costUsd: string };
  };
}

/** GET /api/runs/:id/history: readable events plus activities and children folded into one entry each. */
export interface TimelineEvent {
  eventId: number;
  time: string | null;
  type: string;
  summary: string;
}

export interface TimelineLlmAttempt {
  attempt: number;
  callIndex?: number;
  step?: string | null;
  outcome: string;
  errorType?: string | null;
  errorMessage?: string | null;
  latencyMs?: number | null;
  costUsd?: string | number | null;
  createdAt: string;
}

export interface TimelineActivity {
  activityId: string;
  activityType: string;
  status: string;
  scheduledAt: string | null;
  startedAt: string | null;
  closedAt: string | null;
  attempt: number | null;
  retries: number;
  maximumAttempts: number | null;
  durationMs: number | null;
  lastAttemptMs: number | null;
  previousFailure: string | null;
  failure: string | null;
  retryState: string | null;
  llmAttempts?: TimelineLlmAttempt[];
}

export interface TimelineChild {
  workflowId: string;
  workflowType: string;
  runId: string | null;
  status: string;
  initiatedAt: string | null;
  closedAt: string | null;
  durationMs: number | null;
  failure: string | null;
}

export interface RunHistory {
  workflowId: string;
  runId: string;
  type: string;
  status: string | null;
  eventCount: number;
  events: TimelineEvent[];
  activities: TimelineActivity[];
  children: TimelineChild[];
}

// ---- batches ---------------------------------------------------------------------------------

export interface BatchSummary {
  id: string;
  batchId?: string;
  workflowId?: string;
  status: string;
  totalItems?: number;
  total?: number;
  completed?: number;
  failed?: number;
  running?: number;
  concurrency?: number;
  budgetUsd?: number | string | null;
  spentUsd?: number | string | null;
  totalTokens?: number;
  stopReason?: string | null;
  origin?: string;
  createdAt?: string;
  finishedAt?: string | null;
  [key: string]: unknown;
}

export interface BatchItem {
  index?: number;
  key?: string;
  primaryCharacter?: string;
  secondaryCharacter?: string;
  framework?: string;
  status?: string;
  workflowId?: string | null;
  storyId?: number | null;
  error?: string | null;
  costUsd?: number | string | null;
  [key: string]: unknown;
}

// ---- audit -----------------------------------------------------------------------------------

export interface AuditAttempt extends RunAttempt {
  id: number;
  workflowId: string;
  runId?: string;
  workflowType?: string;
  framework?: string;
  provider?: string;
  model?: string;
  totalTokens?: number | null;
  origin?: string;
  batchId?: string | null;
  transactionGuid?: string;
}

export interface AuditTotals {
  attempts: number;
  byOutcome?: Record<string, number>;
  byErrorType?: Record<string, number>;
  totalTokens?: number;
  costUsd?: string | number;
  /** Failed attempts the provider still charged for. */
  billedErrors?: { attempts: number; costUsd: string | number };
  averageLatencyMs?: number | null;
}

export interface AuditPage {
  items: AuditAttempt[];
  totals?: AuditTotals;
  total?: number;
  skip?: number;
  limit?: number;
}
