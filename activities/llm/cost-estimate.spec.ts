import Decimal from 'decimal.js';
import { countTokens } from 'gpt-tokenizer';
import { DEFAULT_PRICING_TABLE, priceUsage } from '../../common/pricing';
import { promptTokens as simulatorPromptTokens } from '../../simulator/text';
import {
  buildStoryGraph,
  initialGraphState,
  type StoryGraphState,
} from '../frameworks/langgraph/story-graph';
import { defaultPromptsDir, loadPrompt, renderPrompt, storyVars } from '../prompts';
import { LANGGRAPH_MAX_REVISIONS } from '../frameworks/langgraph/info';
import {
  estimateStoryRequest,
  storyCallPlan,
  textBound,
  worstCaseCallUsd,
  type StoryEstimateInput,
} from './cost-estimate';

const promptsDir = defaultPromptsDir();
const base: Omit<StoryEstimateInput, 'framework'> = {
  primaryCharacter: 'Alice',
  secondaryCharacter: 'Bob',
  model: 'quillflow-sim-1',
  pricing: DEFAULT_PRICING_TABLE,
  maxTokens: 1000,
  promptsDir,
};

describe('estimateStoryRequest', () => {
  it('counts the filled-in Semantic Kernel prompt exactly: tokenizer + chat overhead vs chars / 4, the larger', () => {
    const system = renderPrompt(
      loadPrompt(promptsDir, 'semantic_kernel/story_system'),
      storyVars('Alice', 'Bob'),
    );
    const user = renderPrompt(
      loadPrompt(promptsDir, 'semantic_kernel/story_user'),
      storyVars('Alice', 'Bob'),
    );
    expect(user).toContain('featuring Alice and Bob');
    const byTokenizer = countTokens(system) + 4 + countTokens(user) + 4 + 3;
    const byChars = Math.ceil((system.length + user.length) / 4);
    const e = estimateStoryRequest({ ...base, framework: 'semantic_kernel' });
    expect(e.llmCalls).toBe(1);
    expect(e.inputTokens).toBe(Math.max(byTokenizer, byChars));
    // What the simulator bills for these very messages is covered.
    expect(e.inputTokens).toBeGreaterThanOrEqual(
      simulatorPromptTokens([
        { role: 'system', content: system },
        { role: 'user', content: user },
      ]),
    );
    expect(e.outputTokens).toBe(1000);
    expect(e.worstCaseUsd).toBe(
      priceUsage(DEFAULT_PRICING_TABLE, 'quillflow-sim-1', e.inputTokens, 1000).costUsd,
    );
    expect(e.priced).toBe(true);
  });

  it('plans the whole LangGraph loop, exactly the calls the graph makes when every critique fails', async () => {
    const made: string[] = [];
    const graph = buildStoryGraph({
      maxRevisions: LANGGRAPH_MAX_REVISIONS,
      onNodeDone: () => undefined,
      call: async (node, s: StoryGraphState) => {
        made.push(node === 'draft' ? 'draft' : `${node}-${s.revisions + 1}`); // the step names the activity audits
        const text = node === 'critique' ? 'VERDICT: REVISE' : 'story';
        return {
          text,
          step: node,
          latencyMs: 0,
          inputTokens: 0,
          outputTokens: 0,
          totalTokens: 0,
          costUsd: '0',
          inputCostPer1k: '0',
          outputCostPer1k: '0',
        };
      },
    });
    await graph.invoke(initialGraphState(), { recursionLimit: 4 + LANGGRAPH_MAX_REVISIONS * 2 });
    expect(storyCallPlan('langgraph').map((c) => c.step)).toEqual(made);
    expect(made).toHaveLength(2 * LANGGRAPH_MAX_REVISIONS + 2);
    expect(storyCallPlan('langchain').map((c) => c.step)).toEqual(['story']);
  });

  it('counts earlier outputs at maxTokens each: a revise prompt carries the story and the critique', () => {
    const small = estimateStoryRequest({ ...base, framework: 'langgraph', maxTokens: 100 });
    const big = estimateStoryRequest({ ...base, framework: 'langgraph', maxTokens: 1100 });
    const step = (e: typeof small, name: string) =>
      e.calls.find((c) => c.step === name)!.inputTokens;
    expect(step(big, 'draft')).toBe(step(small, 'draft'));
    expect(step(big, 'critique-1') - step(small, 'critique-1')).toBe(1000);
    expect(step(big, 'revise-1') - step(small, 'revise-1')).toBe(2000);
    // A real revise prompt with a story and notes of 100 simulator tokens each stays under the bound.
    const filled = (name: string) =>
      renderPrompt(loadPrompt(promptsDir, name), {
        ...storyVars('Alice', 'Bob'),
        story: 'x'.repeat(400),
        critique: 'y'.repeat(400),
      });
    const billed = simulatorPromptTokens([
      { role: 'system', content: filled('langgraph/revise_system') },
      { role: 'user', content: filled('langgraph/revise_user') },
    ]);
    expect(step(small, 'revise-1')).toBeGreaterThanOrEqual(billed);
  });

  it("LangGraph's worst case is larger than Semantic Kernel's and LangChain's", () => {
    const usdOf = (framework: StoryEstimateInput['framework']) =>
      new Decimal(estimateStoryRequest({ ...base, framework }).worstCaseUsd);
    expect(usdOf('langgraph').gt(usdOf('semantic_kernel').mul(8))).toBe(true);
    expect(usdOf('langgraph').gt(usdOf('langchain'))).toBe(true);
    const lg = estimateStoryRequest({ ...base, framework: 'langgraph' });
    expect(lg.llmCalls).toBe(8);
    expect(lg.outputTokens).toBe(8000);
  });

  it('an unknown model costs 0 and says so', () => {
    const e = estimateStoryRequest({ ...base, framework: 'langchain', model: 'no-such-model' });
    expect(e).toMatchObject({ worstCaseUsd: '0.000000', priced: false });
    expect(e.inputTokens).toBeGreaterThan(0);
  });

  it('a bound over many names covers every one of them', () => {
    const names = ['Al', 'Bartholomew-Maximilian von Habsburg', 'Zoë', '李小龙', 'Ann'];
    const bound = textBound(names);
    for (const framework of ['semantic_kernel', 'langchain', 'langgraph'] as const) {
      const worst = estimateStoryRequest({
        ...base,
        framework,
        primaryCharacter: bound,
        secondaryCharacter: bound,
      });
      for (const a of names) {
        for (const b of names) {
          const one = estimateStoryRequest({
            ...base,
            framework,
            primaryCharacter: a,
            secondaryCharacter: b,
          });
          expect(worst.inputTokens).toBeGreaterThanOrEqual(one.inputTokens);
          expect(new Decimal(worst.worstCaseUsd).gte(one.worstCaseUsd)).toBe(true);
        }
      }
    }
  });

  it('worstCaseCallUsd prices maxTokens of output', () => {
    expect(worstCaseCallUsd(DEFAULT_PRICING_TABLE, 'quillflow-sim-1', 1000, 1000)).toBe('0.002000');
  });
});
