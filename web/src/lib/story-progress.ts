import type { RunDetail } from '../api/types';
import { isOpen } from './runs';

/** LangGraph's nodes in order; the audit names a call `draft`, then `critique-1`, `revise-1`, ... */
export const LANGGRAPH_NODES = ['draft', 'critique', 'revise'] as const;

export interface StoryProgress {
  /** What the run does now, in words. */
  label: string;
  /** The audited step of the latest LLM call (`draft`, `critique-1`, `story`), if any yet. */
  step?: string;
  /** LangGraph's node of that step, for the draft → critique → revise strip. */
  node?: (typeof LANGGRAPH_NODES)[number];
  /** The round of a critique or revision (1, 2, ...). */
  round?: number;
  /** LLM calls made so far. */
  calls: number;
  done: boolean;
}

/**
 * Where a story's run is, from GET /api/runs/{id}: its LLM call attempts (each is audited as
 * `pending` before the call goes out, so the current one shows while it runs) and its pending
 * activities (persistStory once the text is written).
 */
export function storyProgress(run: RunDetail): StoryProgress {
  const last = run.attempts[run.attempts.length - 1];
  const calls = run.attempts.filter((a) => a.outcome !== 'pending').length;
  const done = !isOpen(run.status);
  const persisting = run.pendingActivities?.some((a) => a.activityType === 'persistStory');
  const step = last?.step;
  const [name, round] = (step ?? '').split('-');
  const node = LANGGRAPH_NODES.find((n) => n === name);
  let label: string;
  if (done)
    label = run.status === 'COMPLETED' ? 'Done' : `The run ended: ${run.status.toLowerCase()}`;
  else if (persisting) label = 'Saving the story';
  else if (!last) label = 'Starting';
  else if (last.outcome === 'pending') label = `Writing: ${step} (LLM call ${run.attempts.length})`;
  else if (last.outcome === 'error')
    label = `Retrying ${step} after ${last.errorType ?? 'an error'}`;
  else label = `${step} done, going on`;
  return { label, step, node, round: round ? Number(round) : undefined, calls, done };
}
