import type { PagedList } from '../hooks/usePagedList';
import { formatNumber } from '../lib/format';
import { Spinner } from './states';

/**
 * The foot of a paged list: how many rows are shown of how many, and a button for the next page
 * while there is one. `noun` is [singular, plural]: ['story', 'stories'].
 */
export function LoadMore({
  list,
  noun,
  className = '',
}: {
  list: PagedList;
  noun: readonly [string, string];
  className?: string;
}) {
  const { rows, total, query } = list;
  const more = query.hasNextPage;
  const word = (n: number) => (n === 1 ? noun[0] : noun[1]);
  const count =
    total !== undefined
      ? `${formatNumber(rows.length)} of ${formatNumber(total)} ${word(total)}`
      : `${formatNumber(rows.length)}${more ? '+' : ''} ${word(more ? 2 : rows.length)}`;
  return (
    <div
      className={`flex flex-wrap items-center justify-center gap-3 text-sm text-slate-600 ${className}`}
      data-testid="list-count"
    >
      <span role="status">Showing {count}</span>
      {more && (
        <button
          type="button"
          className="btn-secondary py-1"
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {query.isFetchingNextPage && <Spinner />}
          Load more
        </button>
      )}
    </div>
  );
}
