import { Link } from 'react-router';
import type { StoryDetail } from '../api/types';
import { downloadText } from '../lib/download';
import { formatDateTime, formatMs, formatNumber, formatUsd } from '../lib/format';
import { FrameworkBadge } from './badges';
import { CopyButton } from './CopyButton';
import { MetaList } from './MetaList';

export function storyFileText(
  s: {
    id: number;
    primary_character: string;
    secondary_character: string;
    framework?: string;
    created_at: string;
  },
  story: string,
  extra: [string, string | number | null | undefined][] = [],
): string {
  const header = [
    `Story #${s.id}`,
    `Characters: ${s.primary_character} & ${s.secondary_character}`,
    `Framework: ${s.framework ?? ''}`,
    `Created: ${s.created_at}`,
    ...extra
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k}: ${String(v)}`),
  ];
  return `${header.join('\n')}\n\n${story}\n`;
}

/** A stored story (GET /api/stories/{id}) with its run's LLM call count, when known. */
export function StoryResult({ story, llmCalls }: { story: StoryDetail; llmCalls?: number }) {
  const download = () =>
    downloadText(
      `story-${story.id}.txt`,
      storyFileText({ ...story, framework: story.method }, story.story_content, [
        ['Model', story.model],
        ['Tokens', story.total_tokens],
        ['Estimated cost (USD)', story.estimated_cost_usd],
        ['Transaction ID', story.transaction_guid],
        ['Workflow ID', story.workflow_id],
      ]),
    );
  return (
    <section aria-labelledby="story-result-title" className="card p-5" data-testid="story-result">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="story-result-title" className="text-lg font-semibold text-slate-900">
            {story.primary_character} &amp; {story.secondary_character}
          </h2>
          <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
            <FrameworkBadge framework={story.method} />
            <span>{formatDateTime(story.created_at)}</span>
            {llmCalls !== undefined && (
              <span>
                · {llmCalls} LLM call{llmCalls === 1 ? '' : 's'}
              </span>
            )}
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          <CopyButton text={story.story_content} label="Copy story" />
          <button type="button" className="btn-secondary" onClick={download}>
            Download .txt
          </button>
          {story.workflow_id && (
            <Link className="btn-secondary" to={`/runs/${encodeURIComponent(story.workflow_id)}`}>
              View run
            </Link>
          )}
        </div>
      </div>
      <div className="mt-4 rounded-md bg-slate-50 p-4">
        <MetaList
          items={[
            ['Story ID', String(story.id)],
            ['Transaction ID', story.transaction_guid],
            ['Request ID', story.request_id ?? '—'],
            [
              'Tokens (in / out / total)',
              `${formatNumber(story.input_tokens)} / ${formatNumber(story.output_tokens)} / ${formatNumber(story.total_tokens)}`,
            ],
            ['Generation time', formatMs(story.generation_time_ms)],
            ['Est. cost', formatUsd(story.estimated_cost_usd)],
            ['Model', story.model ?? '—'],
            ['Workflow ID', story.workflow_id ?? '—'],
          ]}
        />
      </div>
      <article
        className="mt-4 text-[15px] leading-relaxed whitespace-pre-wrap text-slate-800"
        data-testid="story-text"
      >
        {story.story_content}
      </article>
    </section>
  );
}
