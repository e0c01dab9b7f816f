import { z } from 'zod';
import { usdToNumber } from '../../common/money';
import {
  storyResponseSchema,
  type StoryDetail,
  type StoryListItem,
  type StoryResponse,
} from '../../common/schemas/story-responses';
import type { Story } from '../../prisma/client';
import type { StoryResult } from '../../workflows/story.definitions';

/** Shapes of the original API (snake_case), so existing clients keep working. */

const money = (v: { toString(): string } | null) => (v === null ? null : usdToNumber(v.toString()));

export function storyDb(r: Story): StoryDetail {
  return {
    id: r.id,
    primary_character: r.primaryCharacter,
    secondary_character: r.secondaryCharacter,
    combined_characters: r.combinedCharacters,
    story_content: r.storyContent,
    method: r.method,
    provider: r.provider,
    model: r.model,
    generation_time_ms: r.generationTimeMs,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    total_tokens: r.totalTokens,
    request_id: r.requestId,
    transaction_guid: r.correlationId,
    created_at: r.createdAt.toISOString(),
    estimated_cost_usd: money(r.estimatedCostUsd),
    input_cost_per_1k_tokens: money(r.inputCostPer1kTokens),
    output_cost_per_1k_tokens: money(r.outputCostPer1kTokens),
    workflow_id: r.workflowId,
    origin: r.origin,
    batch_id: r.batchId,
  };
}

export function storyList(r: Story): StoryListItem {
  const full = storyDb(r);
  const { story_content, request_id: _r, ...rest } = full;
  return {
    ...rest,
    framework: r.method,
    story_preview: story_content.length > 200 ? `${story_content.slice(0, 200)}...` : story_content,
  };
}

export function storyResponse(s: StoryResult): StoryResponse {
  return {
    id: s.storyId,
    story: s.story,
    primary_character: s.primaryCharacter,
    secondary_character: s.secondaryCharacter,
    framework: s.framework,
    provider: s.provider,
    model: s.model,
    created_at: s.createdAt,
    generation_time_ms: s.generationTimeMs,
    input_tokens: s.inputTokens,
    output_tokens: s.outputTokens,
    total_tokens: s.totalTokens,
    request_id: s.requestId ?? null,
    transaction_guid: s.transactionGuid,
    estimated_cost_usd: usdToNumber(s.costUsd),
    input_cost_per_1k_tokens: usdToNumber(s.inputCostPer1k),
    output_cost_per_1k_tokens: usdToNumber(s.outputCostPer1k),
    llm_calls: s.llmCalls,
    workflow_id: s.workflowId,
    run_id: s.runId,
  };
}

/**
 * The MCP story tools' result: storyResponse without the per-1k prices, in the original MCP
 * server's field order (the projection keeps that order and drops the rest).
 */
const mcpStoryFields = z.object(
  storyResponseSchema.pick({
    id: true,
    story: true,
    primary_character: true,
    secondary_character: true,
    framework: true,
    provider: true,
    model: true,
    input_tokens: true,
    output_tokens: true,
    total_tokens: true,
    estimated_cost_usd: true,
    generation_time_ms: true,
    llm_calls: true,
    created_at: true,
    transaction_guid: true,
    request_id: true,
    workflow_id: true,
    run_id: true,
  }).shape,
);

export function mcpStoryResponse(s: StoryResult) {
  return mcpStoryFields.parse(storyResponse(s));
}
