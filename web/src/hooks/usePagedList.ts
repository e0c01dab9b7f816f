import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import type { Page } from '../api/client';

/**
 * A list read a page at a time (`skip`/`limit`) until the end: the rows loaded so far, how many
 * there are in all when the API says it, and the query (refetch, next page). The end is the
 * API's total, or else a short page.
 */
export function usePagedList<T>(
  queryKey: QueryKey,
  fetchPage: (skip: number, limit: number) => Promise<Page<T>>,
  pageSize: number,
  options: { refetchInterval?: (query: { state: { status: string } }) => number | false } = {},
) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam, pageSize),
    initialPageParam: 0,
    getNextPageParam: (last: Page<T>, pages: Page<T>[]) => {
      const loaded = pages.reduce((n, p) => n + p.rows.length, 0);
      if (last.total !== undefined) return loaded < last.total ? loaded : undefined;
      return last.rows.length < pageSize ? undefined : loaded;
    },
    ...options,
  });
  const pages = query.data?.pages;
  return {
    query,
    rows: pages?.flatMap((p) => p.rows) ?? [],
    // The newest page's count: rows may be added while paging.
    total: pages?.[pages.length - 1]?.total,
  };
}

/** What a list's foot (LoadMore) needs of it. */
export interface PagedList {
  rows: readonly unknown[];
  total: number | undefined;
  query: {
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    fetchNextPage: () => Promise<unknown>;
  };
}
