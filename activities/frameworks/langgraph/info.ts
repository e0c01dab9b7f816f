import { defineFramework, type StoryCall } from '../../../common/framework-info';

/**
 * How many times the story loop may revise: draft, then critique/revise until the critique
 * passes or this bound is hit. Here (no LangChain import) because the cost estimator, which the
 * API loads too, needs it.
 */
export const LANGGRAPH_MAX_REVISIONS = 3;

export type NodeName = 'draft' | 'critique' | 'revise';

export function nodePrompts(node: NodeName): Pick<StoryCall, 'system' | 'user'> {
  return { system: `langgraph/${node}_system`, user: `langgraph/${node}_user` };
}

/** The step an audit row names: `draft`, then `critique-n` / `revise-n` for the n-th round. */
export function nodeStep(node: NodeName, round: number): string {
  return node === 'draft' ? 'draft' : `${node}-${round}`;
}

/**
 * buildStoryGraph's calls at most: draft, then critique/revise until a critique passes or
 * `maxRevisions` revisions were made; the last critique ends the loop either way.
 */
function storyCalls(maxRevisions = LANGGRAPH_MAX_REVISIONS): StoryCall[] {
  const node = (name: NodeName, round: number): StoryCall => ({
    step: nodeStep(name, round),
    ...nodePrompts(name),
  });
  const plan = [node('draft', 0)];
  for (let r = 1; r <= maxRevisions; r++) plan.push(node('critique', r), node('revise', r));
  plan.push(node('critique', maxRevisions + 1));
  return plan;
}

export const LANGGRAPH = defineFramework({
  slug: 'langgraph',
  label: 'LangGraph',
  description: 'LangGraph framework with advanced editing',
  features: ['Graph-based workflows', 'State management', 'Multi-step editing'],
  story: { activity: 'generateLangGraph', shape: 'graph', calls: storyCalls },
  chat: { activity: 'chatReplyLangGraph', systemPrompt: 'chat/langgraph' },
});
