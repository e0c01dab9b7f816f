import type { StoryListItem } from '../api/types';
import { formatDateTime, formatNumber, truncate } from '../lib/format';
import { FrameworkBadge } from './badges';

export function StoryCard({
  story,
  onView,
  onDownload,
}: {
  story: StoryListItem;
  onView: () => void;
  onDownload: () => void;
}) {
  return (
    <li className="card flex flex-col p-4" data-testid="story-card" data-story-id={story.id}>
      <div className="flex items-start justify-between gap-2">
        <h3 className="min-w-0 font-semibold text-slate-900">
          <span className="break-words">{story.primary_character}</span>{' '}
          <span className="text-slate-400">&amp;</span>{' '}
          <span className="break-words">{story.secondary_character}</span>
        </h3>
        <FrameworkBadge framework={story.framework ?? story.method} />
      </div>
      <p className="mt-2 flex-1 text-sm text-slate-600">{truncate(story.story_preview, 150)}</p>
      <dl className="mt-3 grid grid-cols-2 gap-x-3 gap-y-1 text-xs text-slate-500">
        <dt className="sr-only">Created</dt>
        <dd className="col-span-2">{formatDateTime(story.created_at)}</dd>
        <dt className="sr-only">Story ID</dt>
        <dd>#{story.id}</dd>
        {story.total_tokens != null && (
          <>
            <dt className="sr-only">Tokens</dt>
            <dd className="text-right">{formatNumber(story.total_tokens)} tokens</dd>
          </>
        )}
        {story.transaction_guid && (
          <>
            <dt className="sr-only">Transaction ID</dt>
            <dd className="col-span-2 truncate font-mono" title={story.transaction_guid}>
              {story.transaction_guid}
            </dd>
          </>
        )}
      </dl>
      <div className="mt-3 flex gap-2">
        <button
          type="button"
          className="btn-primary flex-1 py-1.5"
          onClick={onView}
          aria-label={`View story ${story.id}: ${story.primary_character} and ${story.secondary_character}`}
        >
          View
        </button>
        <button
          type="button"
          className="btn-secondary py-1.5"
          onClick={onDownload}
          aria-label={`Download story ${story.id}`}
        >
          Download
        </button>
      </div>
    </li>
  );
}
