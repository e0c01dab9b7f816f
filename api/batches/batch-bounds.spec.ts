import { checkRequestBounds, requestLimits } from '../../activities/llm/request-bounds';
import { defaultPromptsDir } from '../../activities/prompts';
import { loadConfig } from '../../common/config';
import { DEFAULT_PRICING_TABLE } from '../../common/pricing';
import { RequestBounds } from '../core/request-bounds.service';
import { batchItemRequests } from './batch-bounds';

describe('a batch against the request bounds', () => {
  const spec = {
    source: {
      kind: 'generate' as const,
      count: 4,
      primaryNames: ['Al', 'Bartholomew Fitzgerald'],
      secondaryNames: ['Cy', 'Di'],
    },
    frameworks: ['langchain' as const, 'langgraph' as const],
  };

  it('checks one item per framework, with the longest names: no item of the batch is larger', () => {
    const limits = requestLimits(
      loadConfig({ MAX_REQUEST_COST_USD: '0.01' }),
      DEFAULT_PRICING_TABLE,
    );
    const [langchain, langgraph] = batchItemRequests(limits, defaultPromptsDir(), spec);
    expect(checkRequestBounds(limits, langchain)).toBeNull();
    const v = checkRequestBounds(limits, langgraph);
    expect(v?.type).toBe('RequestOverCostCeiling');
    expect(v?.message).toMatch(
      /^The batch's largest LangGraph item \(a story with its longest character names\) could cost up to \$0\.0\d+ \(8 LLM calls/,
    );
    const short = batchItemRequests(limits, defaultPromptsDir(), {
      ...spec,
      source: { ...spec.source, primaryNames: ['Al'] },
    });
    expect(short[1].calls[0].inputTokens).toBeLessThan(langgraph.calls[0].inputTokens);
  });

  it('is refused with 422 either way: the batch request itself is not too large', () => {
    const bounds = new RequestBounds(loadConfig({ MAX_TOKENS: '127900' }));
    const [item] = batchItemRequests(bounds.limits, bounds.promptsDir, {
      ...spec,
      frameworks: ['langchain'],
    });
    expect(() => bounds.assert(item)).toThrow(
      expect.objectContaining({ type: 'RequestTooLarge', status: 413 }),
    );
    expect(() => bounds.assert(item, 422)).toThrow(
      expect.objectContaining({ type: 'RequestTooLarge', status: 422 }),
    );
  });
});
