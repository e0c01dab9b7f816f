import Decimal from 'decimal.js';
import { batchSize, itemAt, type BatchSpec } from '../../common/batch-items';
import { DEFAULT_PRICING_TABLE } from '../../common/pricing';
import { estimateStoryRequest } from '../llm/cost-estimate';
import { defaultPromptsDir } from '../prompts';
import { itemCostBounds } from './batch-budget';

describe('itemCostBounds', () => {
  const o = { pricing: DEFAULT_PRICING_TABLE, promptsDir: defaultPromptsDir(), model: 'quillflow-sim-1', maxTokens: 300 };

  it.each<[string, BatchSpec['source']]>([
    ['generate', { kind: 'generate', count: 12, primaryNames: ['Al', 'Maximilian of the Long Name', 'Zoë'], secondaryNames: ['Bo', '李小龙', 'Al'] }],
    ['pairs', { kind: 'pairs', pairs: [{ primaryCharacter: 'Ann', secondaryCharacter: 'Bartholomew Jones-Smythe' }, { primaryCharacter: 'Christopherson', secondaryCharacter: 'Di' }] }],
  ])('one number per framework covers every item of a %s batch', (_kind, source) => {
    const spec: BatchSpec = { source, frameworks: ['semantic_kernel', 'langchain', 'langgraph'], concurrency: 5 };
    const b = itemCostBounds(spec, o);
    expect(Object.keys(b.worstCaseUsd).sort()).toEqual(['langchain', 'langgraph', 'semantic_kernel']);
    expect(b).toMatchObject({ priced: true, model: 'quillflow-sim-1', maxTokens: 300 });
    for (let n = 0; n < batchSize(spec); n++) {
      const item = itemAt(spec, n);
      const one = estimateStoryRequest({ ...o, ...item });
      expect(new Decimal(b.worstCaseUsd[item.framework]!).gte(one.worstCaseUsd)).toBe(true);
    }
  });

  it('an unknown model reserves 0 and says so', () => {
    const spec: BatchSpec = { source: { kind: 'pairs', pairs: [{ primaryCharacter: 'A', secondaryCharacter: 'B' }] }, frameworks: ['langchain'], concurrency: 1 };
    expect(itemCostBounds(spec, { ...o, model: 'nope' })).toMatchObject({ worstCaseUsd: { langchain: '0.000000' }, priced: false });
  });
});
