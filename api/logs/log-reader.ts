import fs from 'node:fs';
import readline from 'node:readline';
import { type EntryFilter, type LogEntry, matchesFilter, parseLogLine } from './log-entry';

import type { Pagination } from '../../common/schemas/log-responses';

export type { Pagination };

export function paginate(page: number, perPage: number, total: number): Pagination {
  const totalPages = Math.ceil(total / perPage);
  return {
    current_page: page,
    per_page: perPage,
    total_entries: total,
    total_pages: totalPages,
    has_previous: page > 1,
    has_next: page < totalPages,
    previous_page: page > 1 ? page - 1 : null,
    next_page: page < totalPages ? page + 1 : null,
  };
}

/** Calls `onLine` for each line of the first `size` bytes (what the file held at the first look). */
async function eachLine(
  file: string,
  size: number,
  onLine: (line: string, n: number) => boolean | void,
): Promise<void> {
  if (size === 0) return;
  const stream = fs.createReadStream(file, { start: 0, end: size - 1, encoding: 'utf8' });
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of rl) {
      n++;
      if (onLine(line, n) === false) break;
    }
  } finally {
    rl.close();
    stream.destroy();
  }
}

/**
 * One page of a log file's entries, newest first. Two streaming passes, so memory stays
 * proportional to the page rather than the file: the first notes which lines match, the second
 * parses only the lines of the requested page. Both read up to the size the file had at the
 * start, so lines appended in between cannot shift the page.
 */
export async function readLogPage(
  file: string,
  page: number,
  perPage: number,
  filter: EntryFilter,
): Promise<{ entries: LogEntry[]; pagination: Pagination }> {
  const { size } = await fs.promises.stat(file);
  const matching: number[] = [];
  const unfiltered = !filter.level && !filter.search;
  await eachLine(file, size, (line, n) => {
    if (line.trim() === '') return;
    if (unfiltered || matchesFilter(parseLogLine(line, n), filter)) matching.push(n);
  });
  const pagination = paginate(page, perPage, matching.length);
  // Newest first: page 1 holds the last `perPage` matches, in reverse.
  const end = matching.length - (page - 1) * perPage;
  const wanted = new Set(matching.slice(Math.max(0, end - perPage), Math.max(0, end)));
  const entries: LogEntry[] = [];
  if (wanted.size > 0) {
    const last = Math.max(...wanted);
    await eachLine(file, size, (line, n) => {
      if (wanted.has(n)) entries.push(parseLogLine(line, n));
      return n < last;
    });
  }
  entries.reverse();
  return { entries, pagination };
}
