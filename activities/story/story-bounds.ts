import { FRAMEWORK_LABELS, type Framework } from '../../common/frameworks';
import { estimateStoryRequest, type TextBound } from '../llm/cost-estimate';
import type { BoundedRequest, RequestLimits } from '../llm/request-bounds';

/**
 * A story as the request bounds see it: every call its framework can make at its worst
 * (cost-estimate.ts). Names are exact for one story, or bounds over a batch's names.
 */
export function storyBoundedRequest(
  limits: RequestLimits,
  promptsDir: string,
  story: { framework: Framework; primaryCharacter: string | TextBound; secondaryCharacter: string | TextBound },
  what = `This ${FRAMEWORK_LABELS[story.framework]} story`,
): BoundedRequest {
  const e = estimateStoryRequest({ ...story, model: limits.model, pricing: limits.pricing, maxTokens: limits.maxTokens, promptsDir });
  return {
    what,
    calls: e.calls,
    fix: {
      tokens: 'Use shorter character names, or lower MAX_TOKENS (earlier answers are part of later prompts).',
      cost:
        story.framework === 'langgraph'
          ? `Use Semantic Kernel or LangChain (1 LLM call) instead of LangGraph (up to ${e.llmCalls}), or raise MAX_REQUEST_COST_USD.`
          : 'Raise MAX_REQUEST_COST_USD, or lower MAX_TOKENS.',
    },
  };
}
