import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { getStory } from '../api/stories';
import type { StoryDetail } from '../api/types';
import { downloadText } from '../lib/download';
import { formatDateTime, formatMs, formatNumber, formatUsd } from '../lib/format';
import { FrameworkBadge } from './badges';
import { CopyButton } from './CopyButton';
import { MetaList } from './MetaList';
import { Modal } from './Modal';
import { ErrorState, LoadingState } from './states';
import { storyFileText } from './StoryResult';

export function downloadStory(s: StoryDetail): void {
  downloadText(
    `story-${s.id}.txt`,
    storyFileText({ ...s, framework: s.method }, s.story_content, [
      ['Provider', s.provider],
      ['Model', s.model],
      [
        'Tokens (in/out/total)',
        `${s.input_tokens ?? '-'}/${s.output_tokens ?? '-'}/${s.total_tokens ?? '-'}`,
      ],
      ['Generation time (ms)', s.generation_time_ms],
      ['Estimated cost (USD)', s.estimated_cost_usd],
      ['Transaction ID', s.transaction_guid],
      ['Request ID', s.request_id],
      ['Workflow ID', s.workflow_id],
    ]),
  );
}

/** The full story (GET /api/stories/:id), not the list's 200-character preview. */
export function StoryModal({ storyId, onClose }: { storyId: number; onClose: () => void }) {
  const q = useQuery({
    queryKey: ['stories', 'detail', storyId],
    queryFn: () => getStory(storyId),
  });
  const s = q.data;
  return (
    <Modal
      title={s ? `${s.primary_character} & ${s.secondary_character}` : `Story #${storyId}`}
      onClose={onClose}
      size="xl"
      footer={
        <>
          {s?.workflow_id && (
            <Link className="btn-secondary" to={`/runs/${encodeURIComponent(s.workflow_id)}`}>
              View run
            </Link>
          )}
          {s && <CopyButton text={s.story_content} label="Copy" />}
          {s && (
            <button type="button" className="btn-secondary" onClick={() => downloadStory(s)}>
              Download
            </button>
          )}
          <button type="button" className="btn-primary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      {q.isPending ? (
        <LoadingState label="Loading story…" />
      ) : q.isError ? (
        <ErrorState
          error={q.error}
          title="Could not load the story"
          onRetry={() => void q.refetch()}
        />
      ) : (
        s && (
          <div className="space-y-4">
            <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
              <FrameworkBadge framework={s.method} />
              <span>{formatDateTime(s.created_at)}</span>
              {s.origin && <span>· origin {s.origin}</span>}
            </div>
            <div className="rounded-md bg-slate-50 p-4">
              <MetaList
                items={[
                  ['Story ID', String(s.id)],
                  ['Transaction ID', s.transaction_guid ?? '—'],
                  ['Request ID', s.request_id ?? '—'],
                  ['Model', s.model ?? '—'],
                  [
                    'Tokens (in / out / total)',
                    `${formatNumber(s.input_tokens)} / ${formatNumber(s.output_tokens)} / ${formatNumber(s.total_tokens)}`,
                  ],
                  ['Generation time', formatMs(s.generation_time_ms)],
                  ['Est. cost', formatUsd(s.estimated_cost_usd)],
                  ['Provider', s.provider ?? '—'],
                  ['Workflow ID', s.workflow_id ?? '—'],
                ]}
              />
            </div>
            <article
              data-testid="story-full-text"
              className="text-[15px] leading-relaxed whitespace-pre-wrap text-slate-800"
            >
              {s.story_content}
            </article>
          </div>
        )
      )}
    </Modal>
  );
}
