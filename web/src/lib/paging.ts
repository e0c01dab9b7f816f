import type { Page } from '../api/client';

/** Rows loaded so far over the pages of an infinite query. */
export const loadedRows = <T>(pages: readonly Page<T>[] | undefined): T[] =>
  pages?.flatMap((p) => p.rows) ?? [];

/**
 * The `skip` of the next page, or undefined at the end: the API's total when it sends one,
 * else a short page is the last.
 */
export function nextSkip<T>(pageSize: number) {
  return (last: Page<T>, pages: Page<T>[]): number | undefined => {
    const loaded = pages.reduce((n, p) => n + p.rows.length, 0);
    if (last.total !== undefined) return loaded < last.total ? loaded : undefined;
    return last.rows.length < pageSize ? undefined : loaded;
  };
}

/** The total of the newest page (the count may grow while paging), if the API sent one. */
export const totalOf = <T>(pages: readonly Page<T>[] | undefined): number | undefined =>
  pages?.[pages.length - 1]?.total;
