import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { getRun } from '../api/runs';
import { getStory } from '../api/stories';
import type { RunDetail } from '../api/types';
import { useToast } from '../hooks/toast-context';
import { durationBetween } from '../lib/format';
import { frameworkInfo } from '../lib/frameworks';
import { pollWhileOpen } from '../lib/polling';
import { isOpen } from '../lib/runs';
import { LANGGRAPH_NODES, storyProgress } from '../lib/story-progress';
import { ErrorState, Spinner } from './states';
import { StoryResult } from './StoryResult';

/** A number field of a run's result (the workflow's StoryResult), if it has one. */
function resultNumber(result: unknown, key: string): number | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const v: unknown = Object.entries(result).find(([k]) => k === key)?.[1];
  return typeof v === 'number' ? v : undefined;
}

/**
 * A story from the moment its run starts: the link to the run at once, the step it is at
 * (LangGraph's draft → critique → revise, from the audited calls) while it runs, then the story.
 */
export function RunningStory({ workflowId, framework }: { workflowId: string; framework: string }) {
  const toast = useToast();
  const qc = useQueryClient();
  const run = useQuery({
    queryKey: ['runs', 'detail', workflowId],
    queryFn: () => getRun(workflowId),
    refetchInterval: pollWhileOpen(1500, (r: RunDetail) => isOpen(r.status)),
  });
  const storyId = resultNumber(run.data?.result, 'storyId');
  const story = useQuery({
    queryKey: ['stories', 'detail', storyId],
    queryFn: () => getStory(storyId ?? 0),
    enabled: storyId !== undefined,
  });

  const announced = useRef(false);
  useEffect(() => {
    if (!story.data || announced.current) return;
    announced.current = true;
    toast.success('Story generated successfully!');
    void qc.invalidateQueries({ queryKey: ['stories', 'list'] });
    void qc.invalidateQueries({ queryKey: ['cost'] });
  }, [story.data, toast, qc]);

  if (story.data) {
    return <StoryResult story={story.data} llmCalls={resultNumber(run.data?.result, 'llmCalls')} />;
  }
  const runLink = (
    <Link
      className="font-medium text-indigo-700 hover:underline"
      to={`/runs/${encodeURIComponent(workflowId)}`}
      data-testid="running-story-run-link"
    >
      Follow the run
    </Link>
  );
  if (run.isError) {
    return (
      <ErrorState
        error={run.error}
        title="Could not follow the run"
        onRetry={() => void run.refetch()}
      />
    );
  }
  const r = run.data;
  const progress = r ? storyProgress(r) : undefined;
  if (r && progress?.done && r.status !== 'COMPLETED') {
    return (
      <div
        role="alert"
        className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800"
      >
        <p className="font-semibold">The story was not generated ({r.status.toLowerCase()})</p>
        {r.failure && <p className="mt-1 break-words">{r.failure.message}</p>}
        <p className="mt-2">{runLink} to see each attempt.</p>
      </div>
    );
  }
  const langGraph = frameworkInfo(framework)?.slug === 'langgraph';
  return (
    <section
      aria-labelledby="running-story-title"
      className="card space-y-3 p-5"
      data-testid="running-story"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2
          id="running-story-title"
          className="flex items-center gap-2 font-semibold text-slate-900"
        >
          <Spinner /> Generating with {frameworkInfo(framework)?.label ?? framework}
        </h2>
        {runLink}
      </div>
      <p className="font-mono text-xs break-all text-slate-500">{workflowId}</p>
      <p
        role="status"
        className="text-sm text-slate-700"
        data-testid="running-story-step"
        data-step={progress?.step ?? ''}
      >
        {progress?.label ?? 'Starting'}
        {r && (
          <span className="text-slate-400"> · {durationBetween(r.startTime, r.closeTime)}</span>
        )}
      </p>
      {langGraph && (
        <ol className="flex flex-wrap items-center gap-1.5 text-xs" aria-label="LangGraph steps">
          {LANGGRAPH_NODES.map((n, i) => {
            const current = progress?.node === n;
            return (
              <li key={n} className="flex items-center gap-1.5">
                {i > 0 && <span aria-hidden="true">→</span>}
                <span
                  aria-current={current ? 'step' : undefined}
                  className={`rounded-full px-2 py-0.5 ${current ? 'bg-indigo-600 text-white' : 'bg-slate-100 text-slate-600'}`}
                >
                  {n}
                  {current && progress?.round ? ` ${progress.round}` : ''}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
