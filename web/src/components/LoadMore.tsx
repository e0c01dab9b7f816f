import { formatNumber } from '../lib/format';
import { Spinner } from './states';

/**
 * The foot of a paged list: how many rows are shown of how many, and a button for the next page
 * while there is one. `noun` is [singular, plural]: ['story', 'stories'].
 */
export function LoadMore({
  shown,
  total,
  noun,
  hasMore,
  loading,
  onMore,
  className = '',
}: {
  shown: number;
  total: number | undefined;
  noun: readonly [string, string];
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
  className?: string;
}) {
  const word = (n: number) => (n === 1 ? noun[0] : noun[1]);
  const count =
    total !== undefined
      ? `${formatNumber(shown)} of ${formatNumber(total)} ${word(total)}`
      : `${formatNumber(shown)}${hasMore ? '+' : ''} ${word(hasMore ? 2 : shown)}`;
  return (
    <div
      className={`flex flex-wrap items-center justify-center gap-3 text-sm text-slate-600 ${className}`}
      data-testid="list-count"
    >
      <span role="status">Showing {count}</span>
      {hasMore && (
        <button type="button" className="btn-secondary py-1" disabled={loading} onClick={onMore}>
          {loading && <Spinner />}
          Load more
        </button>
      )}
    </div>
  );
}
