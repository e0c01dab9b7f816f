import { z } from 'zod';
import { int, named } from './response-fields';

/** The log viewer's JSON API (`/logs/files`, `/logs/entries/{path}`), in the original's shapes. */

/**
 * The original's bare array of paths, newest first. Each is relative to the log directory, as
 * /logs/entries/{path} takes it; empty when there are none or LOG_FILE_PATH is empty.
 */
export const logFileListSchema = named(
  'LogFileList',
  z.array(z.string()),
  'Log file paths, newest first',
);

/** One line: pino JSON lines keep their other fields beside these. */
export const logEntrySchema = named(
  'LogEntry',
  z.looseObject({
    timestamp: z.string().nullable(),
    /** debug, info, warning, error, critical, ... (the original's names); unknown for unparsable lines. */
    level: z.string(),
    logger: z.string().nullable(),
    event: z.string(),
    line_number: int,
    raw_line: z.string(),
  }),
  'One log line, parsed',
);
export type LogEntry = z.infer<typeof logEntrySchema>;

export const paginationSchema = named(
  'LogPagination',
  z.strictObject({
    current_page: int,
    per_page: int,
    total_entries: int,
    total_pages: int,
    has_previous: z.boolean(),
    has_next: z.boolean(),
    previous_page: int.nullable(),
    next_page: int.nullable(),
  }),
  'Where a page of log entries is',
);
export type Pagination = z.infer<typeof paginationSchema>;

export const logEntriesSchema = named(
  'LogEntries',
  z.strictObject({
    entries: z.array(logEntrySchema),
    pagination: paginationSchema,
    filters: z.strictObject({
      level_filter: z.string().nullable(),
      search_term: z.string().nullable(),
    }),
  }),
  'One page of a log file, newest first',
);
