import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import type { GenerationStepRecord } from '../../../common/workflow-types';
import type { NodeName } from './info';

/**
 * Draft -> critique -> revise, looping until the critique passes or the revision bound is hit.
 * The state says which node runs next, so a graph can be entered mid-way: an activity retry
 * resumes from the state saved in its last heartbeat instead of paying for finished nodes.
 */
export type { NodeName };

export interface StoryGraphState {
  next: NodeName | 'done';
  story: string;
  /** The last critique's text. Not called `critique`: LangGraph forbids a channel named like a node. */
  editorNotes: string;
  revisions: number;
  passed: boolean;
  steps: GenerationStepRecord[];
}

export interface NodeCall {
  (node: NodeName, state: StoryGraphState): Promise<GenerationStepRecord & { text: string }>;
}

export const initialGraphState = (): StoryGraphState => ({
  next: 'draft',
  story: '',
  editorNotes: '',
  revisions: 0,
  passed: false,
  steps: [],
});

export function critiquePassed(text: string): boolean {
  return /^\s*VERDICT:\s*PASS/i.test(text);
}

const State = Annotation.Root({
  next: Annotation<StoryGraphState['next']>(),
  story: Annotation<string>(),
  editorNotes: Annotation<string>(),
  revisions: Annotation<number>(),
  passed: Annotation<boolean>(),
  steps: Annotation<GenerationStepRecord[]>(),
});

export interface StoryGraphOptions {
  maxRevisions: number;
  call: NodeCall;
  /** Called after every node with the state to resume from. */
  onNodeDone(state: StoryGraphState): void;
}

export function buildStoryGraph(o: StoryGraphOptions) {
  const run =
    (node: NodeName, after: (s: StoryGraphState, text: string) => Partial<StoryGraphState>) =>
    async (s: typeof State.State): Promise<Partial<StoryGraphState>> => {
      const r = await o.call(node, s);
      const { text, ...step } = r;
      const update = { ...after(s, text), steps: [...s.steps, step] };
      o.onNodeDone({ ...s, ...update });
      return update;
    };

  return new StateGraph(State)
    .addNode(
      'draft',
      run('draft', (_s, text) => ({ story: text, next: 'critique' })),
    )
    .addNode(
      'critique',
      run('critique', (s, text) => {
        const passed = critiquePassed(text);
        const done = passed || s.revisions >= o.maxRevisions;
        return { editorNotes: text, passed, next: done ? 'done' : 'revise' };
      }),
    )
    .addNode(
      'revise',
      run('revise', (s, text) => ({ story: text, revisions: s.revisions + 1, next: 'critique' })),
    )
    .addConditionalEdges(START, (s) => (s.next === 'done' ? END : s.next), [
      'draft',
      'critique',
      'revise',
      END,
    ])
    .addConditionalEdges('draft', () => 'critique', ['critique'])
    .addConditionalEdges('critique', (s) => (s.next === 'done' ? END : 'revise'), ['revise', END])
    .addConditionalEdges('revise', () => 'critique', ['critique'])
    .compile();
}
