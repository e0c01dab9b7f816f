import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { listBatchStories, type BatchItemMode } from '../api/batches';
import { batchItemLink } from '../lib/batch-items';
import { formatNumber, formatUsd } from '../lib/format';
import { frameworkLabel } from '../lib/frameworks';
import { usePagedList } from '../hooks/usePagedList';
import { LoadMore } from './LoadMore';
import { ErrorState, LoadingState } from './states';
import { numeric, TableHead } from './TableHead';

const PAGE_SIZE = 100;

/**
 * The stories a batch made, in item order, paged. They are read again whenever the progress
 * (the SSE stream, once a second) counts another finished item, so the table keeps step with
 * the bar: a read is never cancelled by the next tick, and every new count gets a read that
 * started after it was seen.
 */
export function BatchStories({
  batchId,
  done,
  itemMode,
}: {
  batchId: string;
  done: number;
  itemMode?: BatchItemMode;
}) {
  const list = usePagedList(
    ['batches', 'stories', batchId],
    (skip, limit) => listBatchStories(batchId, skip, limit),
    PAGE_SIZE,
  );
  const stories = list.query;
  const readFor = useRef(done);
  const { isFetching, refetch } = stories;
  useEffect(() => {
    if (isFetching || readFor.current === done) return;
    readFor.current = done;
    void refetch();
  }, [done, isFetching, refetch]);

  const { rows, total } = list;
  return (
    <section aria-labelledby="stories-title" className="card p-5">
      <h2 id="stories-title" className="mb-3 text-base font-semibold text-slate-900">
        Stories made ({total ?? '…'})
      </h2>
      {stories.isPending ? (
        <LoadingState label="Loading stories…" />
      ) : stories.isError ? (
        <ErrorState
          error={stories.error}
          title="Could not load the batch's stories"
          onRetry={() => void stories.refetch()}
        />
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-500">None yet.</p>
      ) : (
        <>
          <div className="max-h-[32rem] overflow-auto">
            <table
              className="min-w-full divide-y divide-slate-200 text-sm"
              data-testid="batch-stories"
            >
              <TableHead
                dense
                columns={[
                  'Item',
                  'Characters',
                  'Framework',
                  numeric('Tokens'),
                  numeric('Cost'),
                  'Run',
                ]}
              />
              <tbody className="divide-y divide-slate-100">
                {rows.map((st) => (
                  <tr key={st.storyId} data-item={st.item}>
                    <td className="px-2 py-1.5 text-slate-500 tabular-nums">#{st.item}</td>
                    <td className="px-2 py-1.5">
                      {st.primaryCharacter} &amp; {st.secondaryCharacter}
                    </td>
                    <td className="px-2 py-1.5 whitespace-nowrap">
                      {frameworkLabel(st.framework)}
                    </td>
                    <td className="px-2 py-1.5 text-right tabular-nums">
                      {formatNumber(st.totalTokens)}
                    </td>
                    <td className="px-2 py-1.5 text-right tabular-nums">{formatUsd(st.costUsd)}</td>
                    <td className="px-2 py-1.5 whitespace-nowrap">
                      <Link
                        className="text-xs text-indigo-700 hover:underline"
                        to={`/history?story=${st.storyId}`}
                      >
                        Story
                      </Link>{' '}
                      <Link
                        className="ml-2 text-xs text-indigo-700 hover:underline"
                        to={batchItemLink(itemMode, st.workflowId).to}
                      >
                        {batchItemLink(itemMode, st.workflowId).label}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore className="mt-3" list={list} noun={['story', 'stories']} />
        </>
      )}
    </section>
  );
}
