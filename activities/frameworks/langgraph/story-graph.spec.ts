import type { GenerationStepRecord } from '../../../common/workflow-types';
import {
  buildStoryGraph,
  initialGraphState,
  type NodeName,
  type StoryGraphState,
} from './story-graph';

/** The graph with a scripted "LLM": critiques answer from `verdicts` in order. */
function scripted(verdicts: string[]) {
  const calls: string[] = [];
  const saved: StoryGraphState[] = [];
  const graph = buildStoryGraph({
    maxRevisions: 3,
    onNodeDone: (s) => saved.push(s),
    call: async (node: NodeName, s: StoryGraphState) => {
      calls.push(node);
      const text =
        node === 'critique'
          ? `VERDICT: ${verdicts.shift() ?? 'PASS'}\nNotes`
          : node === 'draft'
            ? 'draft'
            : `${s.story}+rev(${s.editorNotes.split('\n')[0]})`;
      const step: GenerationStepRecord = {
        step: node,
        latencyMs: 1,
        inputTokens: 1,
        outputTokens: 1,
        totalTokens: 2,
        costUsd: '0.000001',
        inputCostPer1k: '0',
        outputCostPer1k: '0',
      };
      return { ...step, text };
    },
  });
  const run = async (start: StoryGraphState = initialGraphState()) =>
    (await graph.invoke(start, { recursionLimit: 12 })) as StoryGraphState;
  return { calls, saved, run };
}

describe('story graph: draft -> critique -> revise loop', () => {
  it('stops at the first passing critique', async () => {
    const g = scripted(['PASS']);
    const s = await g.run();
    expect(g.calls).toEqual(['draft', 'critique']);
    expect(s).toMatchObject({ story: 'draft', passed: true, revisions: 0, next: 'done' });
  });

  it('revises until the critique passes, feeding the notes to the reviser', async () => {
    const g = scripted(['REVISE', 'REVISE', 'PASS']);
    const s = await g.run();
    expect(g.calls).toEqual(['draft', 'critique', 'revise', 'critique', 'revise', 'critique']);
    expect(s.story).toBe('draft+rev(VERDICT: REVISE)+rev(VERDICT: REVISE)');
    expect(s.revisions).toBe(2);
    expect(s.steps).toHaveLength(6);
  });

  it('gives up after the revision bound with passed=false', async () => {
    const g = scripted(Array(10).fill('REVISE'));
    const s = await g.run();
    expect(g.calls).toHaveLength(8);
    expect(s).toMatchObject({ revisions: 3, passed: false, next: 'done' });
  });

  it('resumes from a saved state without re-running finished nodes', async () => {
    const first = scripted(['REVISE']);
    await first.run();
    const afterCritique = first.saved[1]; // draft, critique(REVISE) done; revise is next
    expect(afterCritique.next).toBe('revise');
    const resumed = scripted(['PASS']);
    const s = await resumed.run(afterCritique);
    expect(resumed.calls).toEqual(['revise', 'critique']);
    expect(s.steps.map((x) => x.step)).toEqual(['draft', 'critique', 'revise', 'critique']);
  });
});
